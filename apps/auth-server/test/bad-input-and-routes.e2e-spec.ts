import {
  call,
  createTestDatabase,
  FORM,
  postForm,
  SEEDED,
  startAuthServer,
  tokenFor,
  type TestAuthServer,
  type TestDatabase,
} from './support/auth-server';

/**
 * docs/contract.md, "Errors": input PostgreSQL cannot take gets the endpoint's
 * ordinary 4xx (docs/contract.md, "Errors"), and no answer echoes the request's query string or headers;
 * unknown paths are 404, known paths with another method 405 + Allow (point 5).
 */
describe('bad input PostgreSQL cannot take, and routes that do not exist', () => {
  let db: TestDatabase;
  let server: TestAuthServer;

  beforeAll(async () => {
    db = await createTestDatabase('auth_bad_input');
    server = await startAuthServer(db);
  });

  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  const INVALID_CLIENT = { error: 'invalid_client', error_description: 'client authentication failed' };
  // Form-encoded values (RFC 6749 §2.3.1 encodes Basic credentials the same way): a NUL byte
  // (PostgreSQL text cannot hold one: SQLSTATE 22021), bytes that are not UTF-8 (a CESU-8 lone
  // surrogate), and a value far longer than any client id.
  const UNSTORABLE = [
    ['a NUL byte', 'user%00client'],
    ['bytes that are not UTF-8', 'user%ED%A0%80client'],
    ['an over-long value', 'x'.repeat(4000)],
  ] as const;
  const post = (endpoint: string, body: string, headers: Record<string, string> = {}) =>
    call(`${server.baseUrl}/oauth2/${endpoint}`, { method: 'POST', headers: { 'content-type': FORM, ...headers }, body });
  const caller = `client_id=${SEEDED.jwt.id}&client_secret=${SEEDED.jwt.secret}`;

  describe.each(UNSTORABLE)('a client_id with %s', (_label, clientId) => {
    it('client_secret_post at the token endpoint → 401 invalid_client, not 500', async () => {
      const reply = await post('token', `grant_type=client_credentials&client_id=${clientId}&client_secret=x`);
      expect({ status: reply.status, body: reply.body }).toEqual({ status: 401, body: INVALID_CLIENT });
    });

    it('client_secret_basic at the token endpoint → 401 invalid_client with a Basic challenge', async () => {
      const authorization = `Basic ${Buffer.from(`${clientId}:x`).toString('base64')}`;
      const reply = await post('token', 'grant_type=client_credentials', { authorization });
      expect({ status: reply.status, body: reply.body }).toEqual({ status: 401, body: INVALID_CLIENT });
      expect(reply.headers.get('www-authenticate')).toMatch(/^Basic /);
    });

    it('as the caller of introspection and revocation → 401 invalid_client', async () => {
      for (const endpoint of ['introspect', 'revoke']) {
        const reply = await post(endpoint, `token=abc&client_id=${clientId}&client_secret=x`);
        expect({ endpoint, status: reply.status, body: reply.body }).toEqual({ endpoint, status: 401, body: INVALID_CLIENT });
      }
    });
  });

  it.each(UNSTORABLE)('a token with %s: introspection says {"active":false} (any hint), revocation 200', async (_label, token) => {
    for (const hint of ['', '&token_type_hint=access_token', '&token_type_hint=refresh_token']) {
      const introspection = await post('introspect', `token=${token}${hint}&${caller}`);
      expect({ hint, status: introspection.status, body: introspection.body }).toEqual({ hint, status: 200, body: { active: false } });
    }
    const revocation = await post('revoke', `token=${token}&${caller}`);
    expect(revocation.status).toBe(200);
  });

  it('a scope with a NUL byte → 400 invalid_scope, and the server keeps answering', async () => {
    const reply = await postForm(`${server.baseUrl}/oauth2/token`, {
      grant_type: 'client_credentials',
      client_id: SEEDED.opaque.id,
      client_secret: SEEDED.opaque.secret,
      scope: 'country.read\u0000',
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatch(/^invalid_(scope|request)$/);
    await expect(tokenFor(server.baseUrl, SEEDED.opaque)).resolves.toEqual(expect.any(String));
  });

  describe('no answer echoes the query string or a header (point 5)', () => {
    const SECRET = 'hunter2-query-secret';

    it('unknown path with a secret in the query → 404 {"error":"not_found","error_description":"no such resource"}', async () => {
      const reply = await call(`${server.baseUrl}/oauth2/tokens?client_secret=${SECRET}`);
      expect(reply.status).toBe(404);
      expect(reply.body).toEqual({ error: 'not_found', error_description: 'no such resource' });
    });

    it('GET /oauth2/token?client_secret=… → 405 with Allow: POST, nothing echoed', async () => {
      const reply = await call(`${server.baseUrl}/oauth2/token?client_secret=${SECRET}`);
      expect(reply.status).toBe(405);
      expect(reply.headers.get('allow')).toBe('POST');
      expect(reply.body).toEqual({ error: 'method_not_allowed', error_description: 'this method is not allowed here' });
      expect(reply.text).not.toContain(SECRET);
    });

    it.each([
      ['introspect', 'POST'],
      ['revoke', 'POST'],
    ])('GET /oauth2/%s → 405 with Allow: %s', async (endpoint, allow) => {
      const reply = await call(`${server.baseUrl}/oauth2/${endpoint}`);
      expect(reply.status).toBe(405);
      expect(reply.headers.get('allow')).toBe(allow);
    });

    it('POST /oauth2/jwks → 405 with Allow: GET, HEAD', async () => {
      const reply = await call(`${server.baseUrl}/oauth2/jwks`, { method: 'POST' });
      expect(reply.status).toBe(405);
      expect(reply.headers.get('allow')).toBe('GET, HEAD');
    });

    it('an unsupported content type is not quoted back', async () => {
      const contentType = `text/${SECRET}`;
      const reply = await call(`${server.baseUrl}/health`, { method: 'GET' });
      expect(reply.status).toBe(200);
      const posted = await call(`${server.baseUrl}/oauth2/jwks?x=${SECRET}`, {
        method: 'PUT',
        headers: { 'content-type': contentType },
        body: 'x',
      });
      expect(posted.text).not.toContain(SECRET);
      const json = await call(`${server.baseUrl}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"${SECRET}":`,
      });
      expect(json.status).toBeGreaterThanOrEqual(400);
      expect(json.status).toBeLessThan(500);
      expect(json.text).not.toContain(SECRET);
    });
  });
});
