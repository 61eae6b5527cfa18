// Beyond shared secrets, end to end with built apps in their own processes on a real PostgreSQL: private_key_jwt,
// resource indicators (RFC 8707) and DPoP (RFC 9449) together, against the same resource server —
// driven by a client nobody here wrote (openid-client v6) and by archival-service.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { exportJWK, importJWK, SignJWT, type CryptoKey } from 'jose';
import * as oidc from 'openid-client';
import { createPlayground, type Playground } from './support/playground';

const MS_SYSTEM_RESOURCE = 'http://localhost:8091/ms-system';
const REPORTS = 'urn:playground:reports';
const KEY_FILE = resolve(__dirname, '../../../docs/keys/service-client-pkjwt.private.jwk.json');

describe('beyond shared secrets: private_key_jwt + resource + DPoP (built apps, real Postgres)', () => {
  let playground: Playground;
  let config: oidc.Configuration;
  let dpopKeys: Awaited<ReturnType<typeof oidc.randomDPoPKeyPair>>;
  let dpop: oidc.DPoPHandle;

  beforeAll(async () => {
    playground = await createPlayground();
    await playground.start('auth-server');
    // No shared secret anywhere on this path: ms-system introspects and reads the revocations
    // feed as service-client-pkjwt with private_key_jwt (a wrong secret proves it is unused).
    await playground.start('ms-system', {
      INTROSPECTION_AUTH_METHOD: 'private_key_jwt',
      INTROSPECTION_CLIENT_ID: 'service-client-pkjwt',
      INTROSPECTION_PRIVATE_KEY_FILE: KEY_FILE,
      INTROSPECTION_CLIENT_SECRET: 'not-the-secret-and-never-used',
      REVOCATION_POLL_INTERVAL_SECONDS: '1',
    });
    const privateJwk = JSON.parse(readFileSync(KEY_FILE, 'utf8'));
    const clientKey = (await importJWK(privateJwk, 'ES256')) as CryptoKey;
    config = await oidc.discovery(
      new URL(playground.url('auth-server')),
      'service-client-pkjwt',
      undefined,
      oidc.PrivateKeyJwt({ key: clientKey, kid: privateJwk.kid }),
      {
        algorithm: 'oauth2',
        execute: [oidc.allowInsecureRequests],
      },
    );
    dpopKeys = await oidc.randomDPoPKeyPair('ES256');
    dpop = oidc.getDPoPHandle(config, dpopKeys);
  }, 120_000);
  afterAll(() => playground?.close());

  const aus = () => `${playground.url('ms-system')}/country/code/AUS`;
  const tokenFor = (resource: string) => oidc.clientCredentialsGrant(config, { scope: 'country.read', resource }, { DPoP: dpop });

  /** A proof by the same key openid-client binds tokens to, built by hand so a test can replay it. */
  async function handmadeProof(url: string, accessToken: string): Promise<string> {
    return new SignJWT({ htm: 'GET', htu: url, ath: createHash('sha256').update(accessToken).digest('base64url') })
      .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: await exportJWK(dpopKeys.publicKey) })
      .setJti(randomUUID())
      .setIssuedAt()
      .sign(dpopKeys.privateKey);
  }

  it('Done means: openid-client gets an ES256 JWT, DPoP-bound and audience-restricted to ms-system; ms-system answers AUS', async () => {
    const token = await tokenFor(MS_SYSTEM_RESOURCE);
    expect(token.token_type).toBe('dpop');
    const header = JSON.parse(Buffer.from(token.access_token.split('.')[0], 'base64url').toString());
    const claims = JSON.parse(Buffer.from(token.access_token.split('.')[1], 'base64url').toString());
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(claims).toMatchObject({ client_id: 'service-client-pkjwt', aud: MS_SYSTEM_RESOURCE, cnf: { jkt: expect.any(String) } });

    const response = await oidc.fetchProtectedResource(config, token.access_token, new URL(aus()), 'GET', undefined, undefined, {
      DPoP: dpop,
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"code":"AUS","name":"AUSTRALIA"}');
  });

  it('…and 401 to the same token sent as Bearer', async () => {
    const token = await tokenFor(MS_SYSTEM_RESOURCE);
    const response = await fetch(aus(), { headers: { authorization: `Bearer ${token.access_token}` } });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: 'invalid_token',
      error_description: 'a DPoP-bound access token must be sent with the DPoP scheme',
    });
    expect(response.headers.get('www-authenticate')).toContain('DPoP realm="ms-system", error="invalid_token"');
  });

  it('…and 401 to a replayed proof', async () => {
    const token = await tokenFor(MS_SYSTEM_RESOURCE);
    const headers = { authorization: `DPoP ${token.access_token}`, dpop: await handmadeProof(aus(), token.access_token) };
    expect((await fetch(aus(), { headers })).status).toBe(200);
    const replay = await fetch(aus(), { headers });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toEqual({ error: 'invalid_dpop_proof', error_description: 'the DPoP proof was already used' });
  });

  it('…and 401 to a token requested for another resource (urn:playground:reports)', async () => {
    const token = await tokenFor(REPORTS);
    const response = await fetch(aus(), {
      headers: { authorization: `DPoP ${token.access_token}`, dpop: await handmadeProof(aus(), token.access_token) },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'invalid_token', error_description: 'the access token is meant for another resource' });
  });

  it.each([
    ['a stale proof', { iat: Math.floor(Date.now() / 1000) - 120 }, 'invalid_dpop_proof'],
    ['a wrong ath', { ath: createHash('sha256').update('another token').digest('base64url') }, 'invalid_dpop_proof'],
    ['a wrong htu', { htu: 'http://127.0.0.1:1/ms-system/country/code/FRA' }, 'invalid_dpop_proof'],
    ['a wrong htm', { htm: 'POST' }, 'invalid_dpop_proof'],
  ])('401 to %s', async (_name, override, error) => {
    const token = await tokenFor(MS_SYSTEM_RESOURCE);
    const proof = await new SignJWT({
      htm: 'GET',
      htu: aus(),
      ath: createHash('sha256').update(token.access_token).digest('base64url'),
      iat: Math.floor(Date.now() / 1000),
      ...override,
    })
      .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: await exportJWK(dpopKeys.publicKey) })
      .setJti(randomUUID())
      .sign(dpopKeys.privateKey);
    const response = await fetch(aus(), { headers: { authorization: `DPoP ${token.access_token}`, dpop: proof } });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toBe(error);
  });

  it('an opaque token is introspected by ms-system with private_key_jwt (no secret configured that works)', async () => {
    const reply = await fetch(`${playground.url('auth-server')}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'user-client-opaque',
        client_secret: 'user-client-secret',
        scope: 'country.read',
      }),
    });
    const { access_token } = (await reply.json()) as { access_token: string };
    const response = await fetch(aus(), { headers: { authorization: `Bearer ${access_token}` } });
    expect(response.status).toBe(200);
  });

  it('RFC 9728 metadata names the authorization server and the DPoP algorithms', async () => {
    const response = await fetch(`http://127.0.0.1:${playground.ports['ms-system']}/.well-known/oauth-protected-resource/ms-system`);
    expect(await response.json()).toEqual({
      resource: MS_SYSTEM_RESOURCE,
      authorization_servers: [playground.url('auth-server')],
      scopes_supported: ['country.read'],
      bearer_methods_supported: ['header'],
      dpop_signing_alg_values_supported: ['ES256', 'EdDSA', 'PS256', 'RS256'],
    });
  });

  it('archival-service completes a run of all 249 countries with private_key_jwt + DPoP + resource', async () => {
    await playground.start('archival-service', {
      ARCHIVAL_CRON: 'off',
      ARCHIVAL_CLIENT_ID: 'service-client-pkjwt',
      ARCHIVAL_AUTH_METHOD: 'private_key_jwt',
      ARCHIVAL_PRIVATE_KEY_FILE: KEY_FILE,
      ARCHIVAL_RESOURCE: MS_SYSTEM_RESOURCE,
      ARCHIVAL_DPOP: 'true',
    });
    const started = await fetch(`${playground.url('archival-service')}/runs`, { method: 'POST' });
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as { id: string };
    const deadline = Date.now() + 45_000;
    let run: { status: string; countriesArchived: number; error: string | null };
    do {
      await new Promise((r) => setTimeout(r, 250));
      run = (await (await fetch(`${playground.url('archival-service')}/runs/${id}`)).json()) as typeof run;
    } while (run.status !== 'succeeded' && run.status !== 'failed' && Date.now() < deadline);
    expect(run).toMatchObject({ status: 'succeeded', countriesArchived: 249, error: null });
    // The token it used was DPoP-bound and meant for ms-system (one line per token request in its log).
    expect(playground.apps['archival-service']?.output()).toMatch(/requested a new access token for service-client-pkjwt/);
  }, 90_000);
});
