import { createLocalJWKSet, jwtVerify } from 'jose';
import { basic, call, postForm, SEEDED, sql, tokenFor, useAuthServer } from './support/auth-server';

const INACTIVE = { active: false };
const ACTIVE_FIELDS = ['active', 'sub', 'aud', 'nbf', 'scope', 'iss', 'exp', 'iat', 'jti', 'client_id', 'token_type'];
const ISSUER = 'http://localhost:8085/ms-auth-server';

describe('introspection (RFC 7662), revocation (RFC 7009) and the revocation feed', () => {
  const auth = useAuthServer('auth_introspect');
  const asIntrospector = { authorization: basic(SEEDED.jwt.id, SEEDED.jwt.secret) };
  const introspect = (token: string, extra: Record<string, string> = {}, headers: Record<string, string> = asIntrospector) =>
    postForm(`${auth.server.baseUrl}/oauth2/introspect`, { token, ...extra }, headers);
  const revoke = (token: string, client: { id: string; secret: string }, extra: Record<string, string> = {}) =>
    postForm(`${auth.server.baseUrl}/oauth2/revoke`, { token, ...extra }, { authorization: basic(client.id, client.secret) });
  const feed = (after?: string, headers: Record<string, string> = asIntrospector) =>
    call(`${auth.server.baseUrl}/oauth2/revocations${after === undefined ? '' : `?after=${encodeURIComponent(after)}`}`, { headers });

  describe('POST /oauth2/introspect', () => {
    it('describes an active opaque token with exactly the contract fields (§2.2), no-store', async () => {
      const token = await tokenFor(auth.server.baseUrl, SEEDED.opaque, 'country.read');
      const before = Math.floor(Date.now() / 1000);
      const reply = await introspect(token);
      expect(reply.status).toBe(200);
      expect(Object.keys(reply.body)).toEqual(ACTIVE_FIELDS);
      expect(reply.body).toEqual({
        active: true,
        sub: 'user-client-opaque',
        aud: ['user-client-opaque'],
        nbf: reply.body.iat,
        scope: 'country.read',
        iss: ISSUER,
        exp: reply.body.iat + 14400,
        iat: expect.any(Number),
        jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
        client_id: 'user-client-opaque',
        token_type: 'Bearer',
      });
      expect(Math.abs(reply.body.iat - before)).toBeLessThanOrEqual(2);
      expect(reply.headers.get('cache-control')).toBe('no-store');
      expect(reply.headers.get('pragma')).toBe('no-cache');
    });

    it('describes an active JWT with the same fields, matching its claims', async () => {
      const token = await tokenFor(auth.server.baseUrl, SEEDED.jwt);
      const reply = await introspect(token);
      expect(Object.keys(reply.body)).toEqual(ACTIVE_FIELDS);
      const { payload } = await jwtVerify(token, createLocalJWKSet((await call(`${auth.server.baseUrl}/oauth2/jwks`)).body));
      expect(reply.body).toEqual({
        active: true,
        sub: payload.sub,
        aud: [payload.aud],
        nbf: payload.nbf,
        scope: 'country.read customer.read customer.write',
        iss: payload.iss,
        exp: payload.exp,
        iat: payload.iat,
        jti: payload.jti,
        client_id: 'service-client-jwt',
        token_type: 'Bearer',
      });
    });

    it('works by client_secret_post too', async () => {
      const token = await tokenFor(auth.server.baseUrl, SEEDED.opaque);
      const reply = await introspect(token, { client_id: SEEDED.jwt.id, client_secret: SEEDED.jwt.secret }, {});
      expect(reply.body.active).toBe(true);
    });

    it('is not fooled by a wrong token_type_hint', async () => {
      const opaque = await tokenFor(auth.server.baseUrl, SEEDED.opaque);
      const jwt = await tokenFor(auth.server.baseUrl, SEEDED.jwt);
      expect((await introspect(opaque, { token_type_hint: 'refresh_token' })).body.active).toBe(true);
      expect((await introspect(jwt, { token_type_hint: 'refresh_token' })).body.active).toBe(true);
    });

    it.each([
      ['an unknown opaque-looking token', 'A'.repeat(43)],
      ['a malformed token', 'not a token'],
      ['a huge token', 'x'.repeat(20_000)],
      ['a JWT signed by someone else', 'eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0In0.eyJqdGkiOiJ4In0.'],
      ['an SQL-ish string', "' OR 1=1 --"],
    ])('answers %s with exactly {"active":false}', async (_what, token) => {
      const reply = await introspect(token);
      expect(reply.status).toBe(200);
      expect(reply.text).toBe('{"active":false}');
    });

    it('refuses an unauthenticated caller with 401 invalid_client', async () => {
      const reply = await introspect('whatever', {}, {});
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });
    });

    it('refuses a client that may not introspect with 403', async () => {
      const reply = await introspect('whatever', {}, { authorization: basic(SEEDED.opaque.id, SEEDED.opaque.secret) });
      expect(reply.status).toBe(403);
      expect(reply.body).toEqual({ error: 'access_denied', error_description: 'the client is not allowed to introspect tokens' });
    });

    it('answers a missing token with 400 invalid_request', async () => {
      const reply = await postForm(`${auth.server.baseUrl}/oauth2/introspect`, {}, asIntrospector);
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({ error: 'invalid_request', error_description: "missing parameter 'token'" });
    });

    it('answers a repeated token parameter with 400 invalid_request', async () => {
      const reply = await call(`${auth.server.baseUrl}/oauth2/introspect`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...asIntrospector },
        body: 'token=a&token=b',
      });
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({ error: 'invalid_request', error_description: "parameter 'token' is repeated" });
    });

    it('answers a JSON body with 400 invalid_request', async () => {
      const reply = await call(`${auth.server.baseUrl}/oauth2/introspect`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...asIntrospector },
        body: '{"token":"x"}',
      });
      expect(reply.status).toBe(400);
      expect(reply.body.error).toBe('invalid_request');
    });
  });

  describe('POST /oauth2/revoke', () => {
    it('revokes an opaque token of the caller: 200 with an empty body, then introspection says {"active":false} (RFC 7009 §2.2)', async () => {
      const token = await tokenFor(auth.server.baseUrl, SEEDED.opaque);
      const reply = await revoke(token, SEEDED.opaque, { token_type_hint: 'access_token' });
      expect(reply.status).toBe(200);
      expect(reply.text).toBe('');
      expect(reply.headers.get('cache-control')).toBe('no-store');
      expect((await introspect(token)).text).toBe('{"active":false}');
    });

    it('revokes a JWT of the caller, whatever the hint says', async () => {
      const token = await tokenFor(auth.server.baseUrl, SEEDED.jwt);
      expect((await revoke(token, SEEDED.jwt, { token_type_hint: 'refresh_token' })).status).toBe(200);
      expect((await introspect(token)).body).toEqual(INACTIVE);
    });

    it("does nothing when another client revokes someone else's token, and still answers 200 (§2.1)", async () => {
      const token = await tokenFor(auth.server.baseUrl, SEEDED.opaque);
      const reply = await revoke(token, SEEDED.jwt);
      expect(reply.status).toBe(200);
      expect(reply.text).toBe('');
      expect((await introspect(token)).body.active).toBe(true);
    });

    it('answers 200 for an unknown token', async () => {
      expect((await revoke('B'.repeat(43), SEEDED.opaque)).status).toBe(200);
    });

    it('answers 200 when a token is revoked twice', async () => {
      const token = await tokenFor(auth.server.baseUrl, SEEDED.opaque);
      expect((await revoke(token, SEEDED.opaque)).status).toBe(200);
      expect((await revoke(token, SEEDED.opaque)).status).toBe(200);
    });

    it('answers a missing token with 400 invalid_request', async () => {
      const reply = await postForm(
        `${auth.server.baseUrl}/oauth2/revoke`,
        {},
        { authorization: basic(SEEDED.opaque.id, SEEDED.opaque.secret) },
      );
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({ error: 'invalid_request', error_description: "missing parameter 'token'" });
    });

    it('refuses an unauthenticated caller with 401 invalid_client', async () => {
      const reply = await postForm(`${auth.server.baseUrl}/oauth2/revoke`, { token: 'x' });
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });
    });
  });

  describe('two client identities in one request (RFC 6749 §2.3)', () => {
    it.each(['token', 'introspect', 'revoke'])(
      'POST /oauth2/%s: Basic for one client and a form client_id naming another → 400 invalid_request, nothing done',
      async (endpoint) => {
        const token = await tokenFor(auth.server.baseUrl, SEEDED.jwt);
        const params = { grant_type: 'client_credentials', token, client_id: SEEDED.opaque.id };
        const reply = await postForm(`${auth.server.baseUrl}/oauth2/${endpoint}`, params, asIntrospector);
        expect(reply.status).toBe(400);
        expect(reply.body.error).toBe('invalid_request');
        expect((await introspect(token)).body.active).toBe(true);
      },
    );
  });

  describe('GET /oauth2/revocations (JWT revocation feed for resource servers)', () => {
    it('lists revoked JWTs after a cursor, echoes the cursor when nothing is new, and says no-store', async () => {
      const first = await feed();
      expect(first.status).toBe(200);
      expect(first.headers.get('cache-control')).toBe('no-store');
      expect(Object.keys(first.body)).toEqual(['revocations', 'cursor']);
      expect(first.body.cursor).toMatch(/^\d+$/);
      const cursor: string = first.body.cursor;

      const token = await tokenFor(auth.server.baseUrl, SEEDED.jwt);
      const { jti, exp } = (await introspect(token)).body;
      await revoke(token, SEEDED.jwt);

      const next = await feed(cursor);
      expect(next.body).toEqual({ revocations: [{ jti, exp }], cursor: expect.stringMatching(/^\d+$/) });
      expect(BigInt(next.body.cursor)).toBeGreaterThan(BigInt(cursor));

      const again = await feed(next.body.cursor);
      expect(again.body).toEqual({ revocations: [], cursor: next.body.cursor });
    });

    it('lists every revocation of an unexpired JWT when no cursor is given, and never opaque tokens', async () => {
      const jwt = await tokenFor(auth.server.baseUrl, SEEDED.jwt);
      const opaque = await tokenFor(auth.server.baseUrl, SEEDED.opaque);
      const { jti } = (await introspect(jwt)).body;
      const opaqueJti = (await introspect(opaque)).body.jti;
      await revoke(jwt, SEEDED.jwt);
      await revoke(opaque, SEEDED.opaque);
      const all = await feed();
      const jtis = all.body.revocations.map((r: { jti: string }) => r.jti);
      expect(jtis).toContain(jti);
      expect(jtis).not.toContain(opaqueJti);
      expect(all.body.cursor).toBe((await sql<{ id: string }>(auth.db, 'SELECT max(id)::text AS id FROM revocations'))[0].id);
    });

    it('refuses an unauthenticated caller with 401 invalid_client and a Basic challenge', async () => {
      const reply = await feed(undefined, {});
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });
      expect(reply.headers.get('www-authenticate')).toBe('Basic realm="ms-auth-server", charset="UTF-8"');
    });

    it('refuses a client that may not introspect with 403', async () => {
      const reply = await feed(undefined, { authorization: basic(SEEDED.opaque.id, SEEDED.opaque.secret) });
      expect(reply.status).toBe(403);
      expect(reply.body).toEqual({ error: 'access_denied', error_description: 'the client is not allowed to read revocations' });
    });

    it('answers a cursor that is not a number with 400 invalid_request', async () => {
      const reply = await feed('abc');
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({ error: 'invalid_request', error_description: "'after' must be a cursor returned by this endpoint" });
    });
  });
});
