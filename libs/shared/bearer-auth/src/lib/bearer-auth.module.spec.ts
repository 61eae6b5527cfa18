import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SignJWT, generateKeyPair } from 'jose';
import { startFakeAuthServer, type FakeAuthServer } from '@playground/testing';
import { startProtectedApp } from '../testing/protected-app';
import type { TokenValidationMode } from './bearer-auth.options';
import { RevocationList } from './revocation/revocation-list';

/** RFC 9449 §7.1: every challenge of a DPoP-capable resource server also offers DPoP. */
const DPOP_CHALLENGE = 'DPoP realm="spec", algs="ES256 EdDSA PS256 RS256"';
const INVALID_TOKEN =
  /^Bearer realm="spec", error="invalid_token", error_description="[^"]+", DPoP realm="spec", algs="ES256 EdDSA PS256 RS256"$/;

describe.each<TokenValidationMode>(['auto', 'jwt', 'introspection'])('BearerAuthModule over HTTP, %s mode (RFC 6750 §3)', (mode) => {
  let fake: FakeAuthServer;
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    fake = await startFakeAuthServer();
    ({ app, url } = await startProtectedApp({ authServerUrl: fake.issuer, mode }));
    await app.get(RevocationList).poll();
  });
  afterAll(async () => {
    await app.close();
    await fake.close();
  });

  const get = (path: string, authorization?: string) => fetch(`${url}${path}`, { headers: authorization ? { authorization } : {} });

  it('no token → 401 with a bare Bearer challenge (no error code)', async () => {
    const response = await get('/country/code/AUS');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(`Bearer realm="spec", ${DPOP_CHALLENGE}`);
  });

  it('another scheme (Basic) counts as no bearer token', async () => {
    const response = await get('/country/code/AUS', 'Basic dXNlcjpwYXNz');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(`Bearer realm="spec", ${DPOP_CHALLENGE}`);
  });

  const validToken = () =>
    mode === 'introspection' ? Promise.resolve(fake.opaque({ scope: 'country.read' })) : fake.jwt({ scope: 'country.read' });

  it('a valid token → 200 and the handler sees the client', async () => {
    const response = await get('/country/code/AUS', `Bearer ${await validToken()}`);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({
      code: 'AUS',
      name: 'AUSTRALIA',
      client: { scopes: ['country.read'], validatedBy: mode === 'introspection' ? 'introspection' : 'jwt' },
    });
  });

  it('the scheme is case-insensitive ("bearer", "BEARER")', async () => {
    const token = await validToken();
    expect((await get('/country/code/AUS', `bearer ${token}`)).status).toBe(200);
    expect((await get('/country/code/AUS', `BEARER ${token}`)).status).toBe(200);
  });

  it('one or more spaces after the scheme (RFC 6750 §2.1 `1*SP`), trailing whitespace ignored', async () => {
    const token = await validToken();
    for (const header of [`Bearer  ${token}`, `Bearer     ${token}`, `bearer   ${token}  `]) {
      const response = await get('/country/code/AUS', header);
      expect({ header: header.slice(0, 12), status: response.status }).toEqual({ header: header.slice(0, 12), status: 200 });
    }
  });

  it('a token without the scope → 403 insufficient_scope naming the scope', async () => {
    const token = mode === 'introspection' ? fake.opaque({ scope: 'customer.read' }) : await fake.jwt({ scope: 'customer.read' });
    const response = await get('/country/code/AUS', `Bearer ${token}`);
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer realm="spec", error="insufficient_scope", error_description="the access token lacks the required scope", scope="country.read", ${DPOP_CHALLENGE}`,
    );
    expect(await response.json()).toEqual({ error: 'insufficient_scope', error_description: 'the access token lacks the required scope' });
    // Authentication alone is enough where no scope is required.
    expect((await get('/country/any', `Bearer ${token}`)).status).toBe(200);
  });

  it('forged, expired and garbage tokens → 401 invalid_token', async () => {
    const attacker = await generateKeyPair('RS256');
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ client_id: 'service-client-jwt', scope: 'country.read', jti: 'x' })
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: fake.kid })
      .setIssuer(fake.issuer)
      .setIssuedAt()
      .setExpirationTime(now + 300)
      .sign(attacker.privateKey);
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${Buffer.from(JSON.stringify({ iss: fake.issuer, client_id: 'a', jti: 'b', exp: now + 300, iat: now, scope: 'country.read' })).toString('base64url')}.`;
    const tokens = [
      forged,
      none,
      await fake.jwt({ exp: now - 120, nbf: now - 600, iat: now - 600 }),
      await fake.jwt({ iss: 'http://evil' }),
      'garbage',
      'a.b.c',
    ];
    for (const token of tokens) {
      const response = await get('/country/code/AUS', `Bearer ${token}`);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(INVALID_TOKEN);
      expect(await response.json()).toMatchObject({ error: 'invalid_token' });
    }
  });

  it('a malformed Authorization header → 400 invalid_request', async () => {
    const response = await get('/country/code/AUS', 'Bearer a b');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('a token in the query string is refused (400), never accepted', async () => {
    const response = await get(`/country/code/AUS?access_token=${await validToken()}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('www-authenticate')).toMatch(/error="invalid_request"/);
  });

  it('unprotected routes stay open', async () => {
    expect((await get('/country/open')).status).toBe(200);
  });
});

describe('BearerAuthModule, auto mode, both token formats', () => {
  it('verifies a JWT locally and an opaque token by introspection', async () => {
    const fake = await startFakeAuthServer();
    const { app, url } = await startProtectedApp({ authServerUrl: fake.issuer });
    try {
      await app.get(RevocationList).poll();
      const before = fake.calls.introspect;
      const jwt = await fetch(`${url}/country/any`, { headers: { authorization: `Bearer ${await fake.jwt()}` } });
      expect(await jwt.json()).toMatchObject({ validatedBy: 'jwt', clientId: 'service-client-jwt' });
      expect(fake.calls.introspect).toBe(before);
      const opaque = await fetch(`${url}/country/any`, { headers: { authorization: `Bearer ${fake.opaque()}` } });
      expect(await opaque.json()).toMatchObject({ validatedBy: 'introspection', clientId: 'user-client-opaque' });
      expect(fake.calls.introspect).toBe(before + 1);
    } finally {
      await app.close();
      await fake.close();
    }
  });

  it('starts while the auth-server is down and answers 401 invalid_token (never 500) until it is back', async () => {
    const { app, url } = await startProtectedApp({ authServerUrl: 'http://127.0.0.1:1/ms-auth-server', httpTimeoutMs: 500 });
    try {
      const response = await fetch(`${url}/country/any`, { headers: { authorization: 'Bearer some-opaque-token' } });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(
        `Bearer realm="spec", error="invalid_token", error_description="the access token could not be validated", ${DPOP_CHALLENGE}`,
      );
    } finally {
      await app.close();
    }
  });
});
