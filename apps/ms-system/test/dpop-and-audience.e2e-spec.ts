import { request } from 'node:http';
import { specDpopKey, type SpecDpopKey } from '@playground/testing';
import { startMsSystem, type MsSystemUnderTest } from './support/ms-system';

const RESOURCE = 'http://localhost:8091/ms-system';

describe('ms-system: RFC 9728 metadata, RFC 8707 audience, RFC 9449 DPoP over HTTP (real PostgreSQL)', () => {
  let one: MsSystemUnderTest;
  let two: MsSystemUnderTest;
  let key: SpecDpopKey;

  beforeAll(async () => {
    one = await startMsSystem();
    two = await startMsSystem({}, one);
    key = await specDpopKey();
  });
  afterAll(async () => {
    await two?.close();
    await one?.close();
  });

  it('RFC 9728 §3: protected resource metadata at /.well-known/oauth-protected-resource/ms-system', async () => {
    const response = await fetch(`${new URL(one.url).origin}/.well-known/oauth-protected-resource/ms-system`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      resource: RESOURCE,
      authorization_servers: [one.auth.issuer],
      scopes_supported: ['country.read'],
      bearer_methods_supported: ['header'],
      dpop_signing_alg_values_supported: ['ES256', 'EdDSA', 'PS256', 'RS256'],
    });
  });

  it('a DPoP-bound token for ms-system with a fresh proof → {"code":"AUS","name":"AUSTRALIA"}', async () => {
    const token = await one.auth.jwt({ scope: 'country.read', aud: RESOURCE, cnf: { jkt: key.jkt } });
    const url = `${one.url}/country/code/AUS`;
    const response = await fetch(url, {
      headers: { authorization: `DPoP ${token}`, dpop: await key.proof({ htm: 'GET', htu: url, accessToken: token }) },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"code":"AUS","name":"AUSTRALIA"}');
  });

  it('ADR 0007: a proof used on one instance is refused on the other (replay state in Postgres)', async () => {
    const token = await one.auth.jwt({ scope: 'country.read', cnf: { jkt: key.jkt } });
    // Both instances answer on 127.0.0.1 with different ports: the proof names the first one's URL,
    // sent to the second one with that Host, as a proxy in front of both would.
    const url = `${one.url}/country/code/AUS`;
    const headers = { authorization: `DPoP ${token}`, dpop: await key.proof({ htm: 'GET', htu: url, accessToken: token }) };
    expect((await fetch(url, { headers })).status).toBe(200);
    const replay = await getWithHost(`${two.url}/country/code/AUS`, new URL(one.url).host, headers);
    expect(replay.status).toBe(401);
    expect(JSON.parse(replay.body)).toEqual({ error: 'invalid_dpop_proof', error_description: 'the DPoP proof was already used' });
  });

  it('a token meant for urn:playground:reports → 401 invalid_token with resource_metadata', async () => {
    const token = await one.auth.jwt({ scope: 'country.read', aud: 'urn:playground:reports' });
    const response = await fetch(`${one.url}/country/code/AUS`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer realm="ms-system", error="invalid_token", error_description="the access token is meant for another resource", resource_metadata="http://localhost:8091/.well-known/oauth-protected-resource/ms-system", DPoP realm="ms-system", algs="ES256 EdDSA PS256 RS256"',
    );
  });

  it('behind a TLS-terminating proxy named in TRUST_PROXY, htu is the public https URL the client called (RFC 9449 §4.3)', async () => {
    const behind = await startMsSystem({ TRUST_PROXY: '127.0.0.1' }, one);
    try {
      const token = await one.auth.jwt({ scope: 'country.read', cnf: { jkt: key.jkt } });
      const call = async (server: MsSystemUnderTest) => {
        const proof = await key.proof({ htm: 'GET', htu: 'https://api.example.com/ms-system/country/code/AUS', accessToken: token });
        return fetch(`${server.url}/country/code/AUS`, {
          headers: { authorization: `DPoP ${token}`, dpop: proof, 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example.com' },
        });
      };
      expect((await call(behind)).status).toBe(200);
      // Without TRUST_PROXY the forwarded headers are the client's word: the URL is still http://127.0.0.1:….
      const untrusted = await call(one);
      expect(untrusted.status).toBe(401);
      expect(((await untrusted.json()) as { error: string }).error).toBe('invalid_dpop_proof');
    } finally {
      await behind.close();
    }
  });

  it('REQUIRE_AUDIENCE=true refuses a token issued without a resource', async () => {
    const strict = await startMsSystem({ REQUIRE_AUDIENCE: 'true' });
    try {
      const plain = await strict.auth.jwt({ scope: 'country.read' });
      expect((await fetch(`${strict.url}/country/code/AUS`, { headers: { authorization: `Bearer ${plain}` } })).status).toBe(401);
      const meant = await strict.auth.jwt({ scope: 'country.read', aud: RESOURCE });
      expect((await fetch(`${strict.url}/country/code/AUS`, { headers: { authorization: `Bearer ${meant}` } })).status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});

/** fetch cannot set Host; node:http can. */
function getWithHost(url: string, host: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { ...headers, host } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
