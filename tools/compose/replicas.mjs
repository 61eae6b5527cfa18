// Several instances behaving as one, through the compose playground's reverse proxy: tokens issued
// through the proxy introspect as active through the proxy and open ms-system through the proxy,
// while the proxy's log shows that at least two different replicas of auth-server and of
// ms-system answered those requests with 200. One replica, a proxy that pins every request to one
// replica, or replicas that do not share state (a token only its issuer knows) all fail here.
//
//   node replicas.mjs <auth-server base URL> <ms-system base URL> <proxy container>
// Reads the proxy's log with `podman logs` (the `playground` log_format of deploy/compose/nginx.conf).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

const [authServer, msSystem, proxyContainer] = process.argv.slice(2);
const step = (text) => console.log(`replicas: ${text}`);
const basic = (id, secret) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

/** Replica addresses that answered `path` with 200, from the proxy's log lines. */
function answeredBy(path) {
  const log = execFileSync('podman', ['logs', proxyContainer], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const replicas = new Set();
  for (const line of log.split('\n')) {
    const match = line.match(/"(\S+) (\S+)" (\d+) \d+ upstream=(\S+) upstream_status=(\S+)/);
    // A retried request lists every upstream tried ("a, b"): count only single, direct answers.
    if (match && match[2] === path && match[3] === '200' && !match[4].includes(',')) replicas.add(match[4]);
  }
  return replicas;
}

const paths = {
  token: new URL(`${authServer}/oauth2/token`).pathname,
  introspect: new URL(`${authServer}/oauth2/introspect`).pathname,
  country: new URL(`${msSystem}/country/code/AUS`).pathname,
};
const until = Date.now() + 30_000;
let rounds = 0;
let seen;
for (;;) {
  // A round: a token, its introspection and a protected call, each through the proxy. Round-robin
  // sends consecutive requests to different replicas, so a token is usually introspected (and
  // stored) on a replica other than the one that issued it.
  for (let i = 0; i < 4; i++) {
    const issued = await fetch(`${authServer}/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'user-client-opaque',
        client_secret: 'user-client-secret',
        scope: 'country.read',
      }),
    });
    assert.equal(issued.status, 200);
    const { access_token } = await issued.json();
    const introspection = await fetch(`${authServer}/oauth2/introspect`, {
      method: 'POST',
      headers: { authorization: basic('service-client-jwt', 'service-client-jwt-secret') },
      body: new URLSearchParams({ token: access_token }),
    });
    assert.equal(introspection.status, 200);
    assert.equal((await introspection.json()).active, true, 'a token issued through the proxy is active through the proxy');
    const country = await fetch(`${msSystem}/country/code/AUS`, { headers: { authorization: `Bearer ${access_token}` } });
    assert.equal(country.status, 200);
    assert.equal(await country.text(), '{"code":"AUS","name":"AUSTRALIA"}');
  }
  rounds++;
  seen = Object.fromEntries(Object.entries(paths).map(([name, path]) => [name, answeredBy(path)]));
  if (Object.values(seen).every((replicas) => replicas.size >= 2)) break;
  if (Date.now() > until) {
    const report = Object.entries(seen).map(([name, r]) => `${name}: ${[...r].join(' ') || 'none'}`);
    throw new Error(`after ${rounds} rounds, fewer than two replicas answered through the proxy — ${report.join('; ')}`);
  }
}
for (const [name, replicas] of Object.entries(seen))
  step(`${paths[name]} answered by ${replicas.size} replicas: ${[...replicas].join(', ')}`);
step(`${rounds * 4} tokens issued, introspected active and accepted by ms-system, all through the proxy`);
console.log('REPLICAS OK');
