// The seed walkthrough against a running compose playground, as the README shows it:
// 401 without a token → a token for user-client-opaque → {"code":"AUS","name":"AUSTRALIA"} →
// introspection of that token → an archival run (POST /runs) that succeeds with 249 countries.
// Exits non-zero at the first answer a user would not get from the README.
//
//   node walkthrough.mjs <auth-server base URL> <ms-system base URL> <archival-service base URL> [issuer]
// The issuer defaults to the compose file's public one, http://localhost:8085/ms-auth-server.
import assert from 'node:assert/strict';

const [authServer, msSystem, archival, issuer = 'http://localhost:8085/ms-auth-server'] = process.argv.slice(2);
const deadline = (seconds) => Date.now() + seconds * 1000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const step = (text) => console.log(`walkthrough: ${text}`);

/** podman-compose 1.0.3 ignores `depends_on: condition: service_healthy`: wait here instead. */
async function waitHealthy(base, seconds) {
  const until = deadline(seconds);
  for (;;) {
    try {
      const response = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${base}/health not 200 after ${seconds} s`);
    await sleep(1000);
  }
}

const started = Date.now();
for (const base of [authServer, msSystem, archival]) await waitHealthy(base, 180);
step(`all three apps healthy (${((Date.now() - started) / 1000).toFixed(0)} s after up)`);

const country = `${msSystem}/country/code/AUS`;
const noToken = await fetch(country);
assert.equal(noToken.status, 401);
assert.match(noToken.headers.get('www-authenticate') ?? '', /^Bearer /);
step(`1. no token → ${noToken.status}, WWW-Authenticate: ${noToken.headers.get('www-authenticate')}`);

const tokenResponse = await fetch(`${authServer}/oauth2/token`, {
  method: 'POST',
  body: new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: 'user-client-opaque',
    client_secret: 'user-client-secret',
    scope: 'country.read',
  }),
});
assert.equal(tokenResponse.status, 200);
const token = await tokenResponse.json();
assert.equal(token.token_type, 'Bearer');
assert.equal(token.scope, 'country.read');
step(`2. token for user-client-opaque → 200, expires_in ${token.expires_in}`);

const withToken = await fetch(country, { headers: { authorization: `Bearer ${token.access_token}` } });
assert.equal(withToken.status, 200);
const body = await withToken.text();
assert.equal(body, '{"code":"AUS","name":"AUSTRALIA"}');
step(`3. with the token → ${withToken.status} ${body}`);

const introspection = await fetch(`${authServer}/oauth2/introspect`, {
  method: 'POST',
  headers: { authorization: `Basic ${Buffer.from('service-client-jwt:service-client-jwt-secret').toString('base64')}` },
  body: new URLSearchParams({ token: token.access_token }),
});
assert.equal(introspection.status, 200);
const claims = await introspection.json();
assert.equal(claims.active, true);
assert.equal(claims.client_id, 'user-client-opaque');
assert.equal(claims.scope, 'country.read');
assert.equal(claims.iss, issuer);
step(`4. introspection → active ${claims.active}, client_id ${claims.client_id}, scope ${claims.scope}`);

const queued = await fetch(`${archival}/runs`, { method: 'POST' });
assert.equal(queued.status, 202);
const { id } = await queued.json();
const until = deadline(60);
let run;
for (;;) {
  run = await (await fetch(`${archival}/runs/${id}`)).json();
  if (run.status === 'succeeded' || run.status === 'failed' || Date.now() > until) break;
  await sleep(500);
}
assert.equal(run.status, 'succeeded', `archival run ${id}: ${JSON.stringify(run)}`);
assert.equal(run.countriesArchived, 249);
step(`5. archival run ${id} → ${run.status}, ${run.countriesArchived} countries archived`);
console.log('WALKTHROUGH OK');
