import { decodeJwt, decodeProtectedHeader } from 'jose';
import { ClientAdminService } from '../src/app/clients/client-admin.service';
import { basic, call, createSecretClient, FORM, form, postForm, SEEDED, useAuthServer } from './support/auth-server';

const INVALID_CLIENT = { error: 'invalid_client', error_description: 'client authentication failed' };
const BASIC_CHALLENGE = 'Basic realm="ms-auth-server", charset="UTF-8"';

describe('POST /ms-auth-server/oauth2/token (RFC 6749 §4.4 client credentials)', () => {
  const auth = useAuthServer('auth_token');
  let tokenUrl: string;

  beforeAll(async () => {
    tokenUrl = `${auth.server.baseUrl}/oauth2/token`;
  });

  const grant = (extra: Record<string, string> = {}) => ({ grant_type: 'client_credentials', ...extra });
  const post = (client: { id: string; secret: string }, extra: Record<string, string> = {}) =>
    grant({ client_id: client.id, client_secret: client.secret, ...extra });

  function expectNoStore(headers: Headers): void {
    expect(headers.get('cache-control')).toBe('no-store');
    expect(headers.get('pragma')).toBe('no-cache');
  }

  describe('success (§4.4.3, §5.1)', () => {
    it('gives user-client-opaque an opaque Bearer token for scope=country.read by client_secret_post, with no-store headers', async () => {
      const reply = await postForm(tokenUrl, post(SEEDED.opaque, { scope: 'country.read' }));
      expect(reply.status).toBe(200);
      expect(Object.keys(reply.body)).toEqual(['access_token', 'token_type', 'expires_in', 'scope']);
      expect(reply.body).toEqual({
        access_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        token_type: 'Bearer',
        expires_in: 14400,
        scope: 'country.read',
      });
      expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expectNoStore(reply.headers);
    });

    it('gives every registered scope when no scope is requested (§3.3 default)', async () => {
      const reply = await postForm(tokenUrl, post(SEEDED.opaque));
      expect(reply.status).toBe(200);
      expect(reply.body.scope).toBe('country.read customer.read customer.write');
    });

    it('treats an empty scope parameter as no scope requested', async () => {
      const reply = await postForm(tokenUrl, post(SEEDED.opaque, { scope: '' }));
      expect(reply.body.scope).toBe('country.read customer.read customer.write');
    });

    it('gives service-client-jwt an RFC 9068 JWT by client_secret_basic', async () => {
      const reply = await postForm(tokenUrl, grant({ scope: 'customer.read country.read' }), {
        authorization: basic(SEEDED.jwt.id, SEEDED.jwt.secret),
      });
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 14400,
        scope: 'customer.read country.read',
      });
      expectNoStore(reply.headers);
      const header = decodeProtectedHeader(reply.body.access_token);
      expect(header).toEqual({ alg: 'RS256', typ: 'at+jwt', kid: expect.any(String) });
      const claims = decodeJwt(reply.body.access_token);
      expect(Object.keys(claims).sort()).toEqual(['aud', 'client_id', 'exp', 'iat', 'iss', 'jti', 'nbf', 'scope', 'sub']);
      expect(claims).toMatchObject({
        iss: 'http://localhost:8085/ms-auth-server',
        sub: 'service-client-jwt',
        aud: 'service-client-jwt',
        client_id: 'service-client-jwt',
        scope: 'customer.read country.read',
      });
      expect(Number(claims.exp) - Number(claims.iat)).toBe(14400);
      expect(claims.nbf).toBe(claims.iat);
    });

    it('form-urldecodes Basic credentials (§2.3.1): %2D in the id is a hyphen', async () => {
      const encoded = Buffer.from(`user%2Dclient%2Dopaque:${SEEDED.opaque.secret}`).toString('base64');
      const reply = await postForm(tokenUrl, grant(), { authorization: `Basic ${encoded}` });
      expect(reply.status).toBe(200);
    });

    it('accepts the scheme name "basic" in any case', async () => {
      const reply = await postForm(tokenUrl, grant(), {
        authorization: basic(SEEDED.opaque.id, SEEDED.opaque.secret).replace('Basic', 'bAsIc'),
      });
      expect(reply.status).toBe(200);
    });

    it('lets archival-service use client_secret_basic and gives it only country.read', async () => {
      const reply = await postForm(tokenUrl, grant(), { authorization: basic(SEEDED.archival.id, SEEDED.archival.secret) });
      expect(reply.status).toBe(200);
      expect(reply.body.scope).toBe('country.read');
    });

    it('accepts application/x-www-form-urlencoded;charset=UTF-8 as the same content type', async () => {
      const reply = await call(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
        body: form(post(SEEDED.opaque)),
      });
      expect(reply.status).toBe(200);
    });

    it('ignores unrecognized parameters (§3.2)', async () => {
      const reply = await postForm(tokenUrl, post(SEEDED.opaque, { audience: 'x', foo: 'bar' }));
      expect(reply.status).toBe(200);
    });

    it('gives a client created later a 300 s token', async () => {
      const { secret } = await createSecretClient(auth.server, { clientId: 'later-client', scopes: ['country.read'] });
      const reply = await postForm(tokenUrl, post({ id: 'later-client', secret }));
      expect(reply.status).toBe(200);
      expect(reply.body.expires_in).toBe(300);
    });
  });

  describe('invalid_request (§5.2)', () => {
    it.each([
      ['application/json', '{"grant_type":"client_credentials"}'],
      ['text/plain', 'grant_type=client_credentials'],
      ['multipart/form-data; boundary=x', '--x--'],
      ['application/xml', '<grant/>'],
    ])('answers a %s body with 400 invalid_request, not 415', async (contentType, body) => {
      const reply = await call(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': contentType, authorization: basic(SEEDED.opaque.id, SEEDED.opaque.secret) },
        body,
      });
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({
        error: 'invalid_request',
        error_description: 'the request body must be application/x-www-form-urlencoded',
      });
      expectNoStore(reply.headers);
    });

    it('answers a request without a body or content type with 400 invalid_request', async () => {
      const reply = await call(tokenUrl, { method: 'POST' });
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({
        error: 'invalid_request',
        error_description: 'the request body must be application/x-www-form-urlencoded',
      });
    });

    it('refuses a repeated parameter (§3.2)', async () => {
      const reply = await call(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': FORM },
        body: form([...Object.entries(post(SEEDED.opaque)), ['scope', 'country.read'], ['scope', 'customer.read']]),
      });
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({ error: 'invalid_request', error_description: "parameter 'scope' is repeated" });
    });

    it('refuses two client authentication methods at once (§2.3)', async () => {
      const reply = await postForm(tokenUrl, post(SEEDED.opaque), { authorization: basic(SEEDED.opaque.id, SEEDED.opaque.secret) });
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({ error: 'invalid_request', error_description: 'use exactly one client authentication method' });
    });

    it('refuses a missing grant_type', async () => {
      const reply = await postForm(tokenUrl, { client_id: SEEDED.opaque.id, client_secret: SEEDED.opaque.secret });
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({ error: 'invalid_request', error_description: "missing parameter 'grant_type'" });
    });

    it.each([
      ['percent-encoded non-UTF-8 bytes', 'grant_type=client_credentials&client_id=%FF%FE&client_secret=%C3%28'],
      ['raw non-UTF-8 bytes', Buffer.from([0x67, 0x3d, 0xff, 0xfe, 0x26, 0x61, 0x3d, 0x80])],
      ['an SQL-ish client id', "grant_type=client_credentials&client_id=x'%20OR%201=1--&client_secret=x"],
      ['a malformed percent escape', 'grant_type=client_credentials&client_id=%ZZ&client_secret=%'],
    ])('answers a form with %s with a JSON 4xx, never a 500', async (_what, body) => {
      const reply = await call(tokenUrl, { method: 'POST', headers: { 'content-type': FORM }, body });
      expect(reply.status).toBeGreaterThanOrEqual(400);
      expect(reply.status).toBeLessThan(500);
      expect(reply.body).toEqual({ error: expect.any(String), error_description: expect.any(String) });
    });

    it('answers oversized headers with a JSON 431', async () => {
      const reply = await call(tokenUrl, { method: 'POST', headers: { 'content-type': FORM, 'x-big': 'a'.repeat(20_000) }, body: 'a=b' });
      expect(reply.status).toBe(431);
      expect(reply.body).toEqual({ error: 'request_header_fields_too_large', error_description: 'request headers are too large' });
    });

    it('answers an oversized body with 413 and a JSON error', async () => {
      const reply = await call(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': FORM },
        body: `grant_type=client_credentials&pad=${'a'.repeat(70 * 1024)}`,
      });
      expect(reply.status).toBe(413);
      expect(reply.body).toEqual({ error: 'request_too_large', error_description: expect.any(String) });
    });
  });

  describe('invalid_client (§5.2: 401)', () => {
    it('answers a request with no client authentication with 401 and a Basic challenge', async () => {
      const reply = await postForm(tokenUrl, grant());
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual(INVALID_CLIENT);
      expect(reply.headers.get('www-authenticate')).toBe(BASIC_CHALLENGE);
      expectNoStore(reply.headers);
    });

    it('answers a wrong secret over Basic with 401, a generic description and WWW-Authenticate: Basic', async () => {
      const reply = await postForm(tokenUrl, grant(), { authorization: basic(SEEDED.opaque.id, 'wrong') });
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual(INVALID_CLIENT);
      expect(reply.headers.get('www-authenticate')).toBe(BASIC_CHALLENGE);
    });

    it('answers a wrong secret over client_secret_post with 401 and no Basic challenge', async () => {
      const reply = await postForm(tokenUrl, post({ id: SEEDED.opaque.id, secret: 'wrong' }));
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual(INVALID_CLIENT);
      expect(reply.headers.get('www-authenticate')).toBeNull();
    });

    it('answers an unknown client exactly like a wrong secret', async () => {
      const reply = await postForm(tokenUrl, grant(), { authorization: basic('no-such-client', 'whatever') });
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual(INVALID_CLIENT);
      expect(reply.headers.get('www-authenticate')).toBe(BASIC_CHALLENGE);
    });

    it('answers malformed Basic credentials with 401 and a Basic challenge', async () => {
      const reply = await postForm(tokenUrl, grant(), { authorization: 'Basic %%%not-base64' });
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual(INVALID_CLIENT);
      expect(reply.headers.get('www-authenticate')).toBe(BASIC_CHALLENGE);
    });

    it('refuses client_secret_post for archival-service, which is registered for client_secret_basic only', async () => {
      const reply = await postForm(tokenUrl, post(SEEDED.archival));
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual(INVALID_CLIENT);
    });

    it('stops accepting the old secret at once after rotate-secret, and accepts the new one', async () => {
      const admin = auth.server.app.get(ClientAdminService);
      const { secret } = await createSecretClient(auth.server, { clientId: 'rotating-client', scopes: ['country.read'] });
      expect((await postForm(tokenUrl, post({ id: 'rotating-client', secret }))).status).toBe(200); // now cached
      const rotated = await admin.rotateSecret('rotating-client');
      expect((await postForm(tokenUrl, post({ id: 'rotating-client', secret }))).status).toBe(401);
      expect((await postForm(tokenUrl, post({ id: 'rotating-client', secret: rotated }))).status).toBe(200);
    });

    it('refuses a disabled client at once', async () => {
      const admin = auth.server.app.get(ClientAdminService);
      const { secret } = await createSecretClient(auth.server, { clientId: 'disabled-client', scopes: ['country.read'] });
      expect((await postForm(tokenUrl, post({ id: 'disabled-client', secret }))).status).toBe(200);
      await admin.disable('disabled-client');
      const reply = await postForm(tokenUrl, post({ id: 'disabled-client', secret }));
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual(INVALID_CLIENT);
    });
  });

  describe('grant and scope errors (§5.2)', () => {
    it('answers an unknown scope with 400 invalid_scope', async () => {
      const reply = await postForm(tokenUrl, post(SEEDED.opaque, { scope: 'country.read admin.all' }));
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({
        error: 'invalid_scope',
        error_description: 'the requested scope is invalid, unknown, or not allowed for this client',
      });
      expectNoStore(reply.headers);
    });

    it('answers a scope registered for other clients only with 400 invalid_scope', async () => {
      const reply = await call(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': FORM, authorization: basic(SEEDED.archival.id, SEEDED.archival.secret) },
        body: form(grant({ scope: 'customer.write' })),
      });
      expect(reply.status).toBe(400);
      expect(reply.body.error).toBe('invalid_scope');
    });

    it('answers an unsupported grant type with 400 unsupported_grant_type', async () => {
      const reply = await postForm(tokenUrl, post(SEEDED.opaque, { grant_type: 'password' }));
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({ error: 'unsupported_grant_type', error_description: 'the grant type is not supported by this server' });
    });

    it('answers a client not registered for client_credentials with 400 unauthorized_client', async () => {
      const { secret } = await createSecretClient(auth.server, { clientId: 'no-grant-client', grantTypes: [], scopes: ['country.read'] });
      const reply = await postForm(tokenUrl, post({ id: 'no-grant-client', secret }));
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({ error: 'unauthorized_client', error_description: 'the client is not allowed to use this grant type' });
    });
  });
});
