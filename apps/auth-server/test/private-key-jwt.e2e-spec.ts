import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  importJWK,
  jwtVerify,
  type CryptoKey,
  type JWK,
} from 'jose';
import { ASSERTION_REPLAY_REPOSITORY, type AssertionReplayRepository } from '../src/app/client-auth/assertion-replay.repository.port';
import { ClientAdminService } from '../src/app/clients/client-admin.service';
import { assertionParams, clientAssertion, PKJWT_PRIVATE_JWK, pkjwtPrivateKey } from './support/client-assertions';
import {
  basic,
  call,
  createSecretClient,
  createTestDatabase,
  postForm,
  SEEDED,
  sql,
  startAuthServer,
  tokenFor,
  useAuthServer,
  type TestAuthServer,
  type TestDatabase,
} from './support/auth-server';

const ISSUER = 'http://localhost:8085/ms-auth-server';
const PKJWT = 'service-client-pkjwt';
const INVALID_CLIENT = { error: 'invalid_client', error_description: 'client authentication failed' };

describe('private_key_jwt (RFC 7523 §2.2) at the token, introspection and revocation endpoints', () => {
  // Dozens of deliberate failures for one client_id from one address: the failed-auth throttle
  // (its own suite) would answer 429 long before the assertion checks under test here.
  const auth = useAuthServer('auth_pkjwt', { env: { FAILED_AUTH_LIMIT_PER_CLIENT: '1000', FAILED_AUTH_LIMIT_PER_ADDRESS: '1000' } });
  let key: CryptoKey;
  const token = (params: Record<string, string>, headers: Record<string, string> = {}) =>
    postForm(`${auth.server.baseUrl}/oauth2/token`, { grant_type: 'client_credentials', ...params }, headers);
  const seededAssertion = async (options: Parameters<typeof clientAssertion>[3] = {}) =>
    clientAssertion(PKJWT, ISSUER, key, { kid: PKJWT_PRIVATE_JWK.kid, ...options });

  beforeAll(async () => {
    key = await pkjwtPrivateKey();
  });

  async function refused(reply: Promise<{ status: number; body: unknown; headers: Headers }>, why: string) {
    const r = await reply;
    expect({ why, status: r.status, body: r.body }).toEqual({ why, status: 401, body: INVALID_CLIENT });
    return r;
  }

  describe('the seeded service-client-pkjwt', () => {
    it('gets an ES256-signed RFC 9068 JWT with its registered scopes, verifiable with the published JWKS', async () => {
      const reply = await token(assertionParams(await seededAssertion()));
      expect(reply.status).toBe(200);
      expect(reply.headers.get('cache-control')).toBe('no-store');
      expect(reply.body).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 14400,
        scope: 'country.read customer.read',
      });
      const header = decodeProtectedHeader(reply.body.access_token);
      expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
      const jwks = (await call(`${auth.server.baseUrl}/oauth2/jwks`)).body;
      expect(jwks.keys.find((k: JWK) => k.kid === header.kid)).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
      const { payload } = await jwtVerify(reply.body.access_token, createLocalJWKSet(jwks), {
        issuer: ISSUER,
        algorithms: ['ES256'],
        typ: 'at+jwt',
      });
      expect(payload).toMatchObject({ sub: PKJWT, client_id: PKJWT, scope: 'country.read customer.read' });
    });

    it('accepts a matching client_id parameter and the token endpoint URL as aud (legacy)', async () => {
      expect((await token(assertionParams(await seededAssertion(), { client_id: PKJWT }))).status).toBe(200);
      expect((await token(assertionParams(await seededAssertion({ claims: { aud: `${ISSUER}/oauth2/token` } })))).status).toBe(200);
    });

    it('refuses a replayed assertion (same jti) with 401 invalid_client, and keeps the jti in Postgres until it expires', async () => {
      const assertion = await seededAssertion({ claims: { jti: 'once-only' } });
      expect((await token(assertionParams(assertion))).status).toBe(200);
      await refused(token(assertionParams(assertion)), 'replay');
      const [row] = await sql<{ expires_at: string }>(
        auth.db,
        `SELECT expires_at FROM client_assertion_jtis WHERE client_id = $1 AND jti = 'once-only'`,
        [PKJWT],
      );
      const { exp } = JSON.parse(Buffer.from(assertion.split('.')[1], 'base64url').toString());
      expect(Number(row.expires_at)).toBe(exp + 5);
    });

    it('the replay store (Postgres): a live jti is refused, an expired unpurged one is taken over, the purge drops expired rows', async () => {
      const replay = auth.server.app.get<AssertionReplayRepository>(ASSERTION_REPLAY_REPOSITORY);
      const now = Math.floor(Date.now() / 1000);
      await expect(replay.use('store-test', 'j1', now + 10, now)).resolves.toBe(true);
      await expect(replay.use('store-test', 'j1', now + 10, now + 5)).resolves.toBe(false);
      await expect(replay.use('other-client', 'j1', now + 10, now)).resolves.toBe(true); // jti is per client
      await expect(replay.use('store-test', 'j1', now + 100, now + 11)).resolves.toBe(true); // its earlier use expired
      await expect(replay.purgeExpired(now + 1_000)).resolves.toBeGreaterThanOrEqual(2);
      expect(await sql(auth.db, `SELECT 1 FROM client_assertion_jtis WHERE client_id IN ('store-test', 'other-client')`)).toEqual([]);
    });

    it('the same jti many times at once (one batch): exactly one use is recorded, the rest are replays', async () => {
      const replay = auth.server.app.get<AssertionReplayRepository>(ASSERTION_REPLAY_REPOSITORY);
      const now = Math.floor(Date.now() / 1000);
      const uses = await Promise.all([
        ...Array.from({ length: 20 }, () => replay.use('batch-test', 'same', now + 10, now)),
        replay.use('batch-test', 'other', now + 10, now),
      ]);
      expect(uses.slice(0, 20).filter(Boolean)).toHaveLength(1);
      expect(uses[20]).toBe(true);
    });

    it('refuses every assertion that fails a check, with the same generic 401, and audits the reason', async () => {
      const now = Math.floor(Date.now() / 1000);
      const stranger = await generateKeyPair('ES256');
      const rsa = PKJWT_PRIVATE_JWK; // the registered key, as an attacker would find it in the JWKS
      const publicPem = await exportSPKI(
        (await importJWK({ kty: rsa.kty, crv: rsa.crv, x: rsa.x, y: rsa.y }, 'ES256', { extractable: true })) as CryptoKey,
      );
      const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const claims = { iss: PKJWT, sub: PKJWT, aud: ISSUER, exp: now + 60, jti: `none-${now}` };
      const cases: Array<[string, string]> = [
        ['wrong aud', await seededAssertion({ claims: { aud: 'https://other.example/as' } })],
        ['alg none', `${b64({ alg: 'none' })}.${b64(claims)}.`],
        [
          'HMAC with the public key as secret',
          await clientAssertion(PKJWT, ISSUER, new TextEncoder().encode(publicPem), { alg: 'HS256', kid: rsa.kid }),
        ],
        ['expired', await seededAssertion({ claims: { iat: now - 120, exp: now - 60 } })],
        ['exp too far ahead', await seededAssertion({ claims: { exp: now + 3600 } })],
        ['no exp', await seededAssertion({ claims: { exp: undefined } })],
        ['no jti', await seededAssertion({ claims: { jti: undefined } })],
        ['unregistered key', await clientAssertion(PKJWT, ISSUER, stranger.privateKey, { kid: rsa.kid })],
        ['unregistered kid', await clientAssertion(PKJWT, ISSUER, stranger.privateKey, { kid: 'made-up' })],
        ['sub is another client', await seededAssertion({ claims: { sub: 'service-client-jwt' } })],
        ['an unknown client', await clientAssertion('nobody', ISSUER, key)],
        ['a secret client by assertion', await clientAssertion(SEEDED.jwt.id, ISSUER, key)],
        ['a NUL in the jti', await seededAssertion({ claims: { jti: 'a\u0000b' } })],
        ['a NUL in the iss', await clientAssertion('service\u0000client', ISSUER, key)],
        ['an over-long iss', await clientAssertion('x'.repeat(5000), ISSUER, key)],
        ['not a JWT', 'not-a-jwt'],
      ];
      for (const [why, assertion] of cases) await refused(token(assertionParams(assertion)), why);
      const audited = await sql<{ reason: string }>(
        auth.db,
        `SELECT detail->>'reason' AS reason FROM audit_log WHERE event = 'client_auth_failed' AND client_id = $1`,
        [PKJWT],
      );
      expect(audited.map((a) => a.reason).join('\n')).toMatch(/claim aud[\s\S]*algorithm not allowed[\s\S]*expired[\s\S]*more than 300 s/);
    });

    it('refuses another client_assertion_type with 401, half an assertion and a mismatching client_id with 400 invalid_request', async () => {
      const assertion = await seededAssertion();
      await refused(
        token({ client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer', client_assertion: assertion }),
        'saml',
      );
      const half = await token({ client_assertion: assertion });
      expect(half.status).toBe(400);
      expect(half.body.error).toBe('invalid_request');
      const mismatch = await token(assertionParams(await seededAssertion(), { client_id: SEEDED.jwt.id }));
      expect(mismatch.status).toBe(400);
      expect(mismatch.body.error).toBe('invalid_request');
    });

    it('refuses an assertion next to Basic credentials: two methods, 400 invalid_request', async () => {
      const reply = await token(assertionParams(await seededAssertion()), { authorization: basic(SEEDED.jwt.id, SEEDED.jwt.secret) });
      expect(reply.status).toBe(400);
      expect(reply.body.error).toBe('invalid_request');
    });

    it('introspects with private_key_jwt (it may introspect) and revokes its own token', async () => {
      const { access_token } = (await token(assertionParams(await seededAssertion()))).body;
      const introspected = await postForm(`${auth.server.baseUrl}/oauth2/introspect`, {
        token: access_token,
        ...assertionParams(await seededAssertion()),
      });
      expect(introspected.status).toBe(200);
      expect(introspected.body).toMatchObject({ active: true, client_id: PKJWT, scope: 'country.read customer.read' });
      const other = await tokenFor(auth.server.baseUrl, SEEDED.opaque);
      expect(
        (await postForm(`${auth.server.baseUrl}/oauth2/introspect`, { token: other, ...assertionParams(await seededAssertion()) })).body
          .active,
      ).toBe(true);
      const revoked = await postForm(`${auth.server.baseUrl}/oauth2/revoke`, {
        token: access_token,
        ...assertionParams(await seededAssertion()),
      });
      expect(revoked.status).toBe(200);
      const after = await postForm(`${auth.server.baseUrl}/oauth2/introspect`, {
        token: access_token,
        ...assertionParams(await seededAssertion()),
      });
      expect(after.body).toEqual({ active: false });
    });

    it('refuses a replayed assertion at introspection too', async () => {
      const assertion = await seededAssertion();
      const first = await postForm(`${auth.server.baseUrl}/oauth2/introspect`, { token: 'x', ...assertionParams(assertion) });
      expect(first.status).toBe(200);
      await refused(
        postForm(`${auth.server.baseUrl}/oauth2/introspect`, { token: 'x', ...assertionParams(assertion) }),
        'introspection replay',
      );
    });
  });

  describe('clients registered with keys (npm run clients -- create --auth private_key_jwt --jwks <file> --alg …)', () => {
    it.each(['RS256', 'PS256', 'ES256', 'EdDSA'] as const)('a client signing its assertions %s gets tokens signed %s', async (alg) => {
      const pair = await generateKeyPair(alg, { extractable: true });
      const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: `k-${alg}`, use: 'sig', alg };
      const clientId = `signer-${alg.toLowerCase()}`;
      const { client, secret } = await auth.server.app.get(ClientAdminService).create({
        clientId,
        authMethods: ['private_key_jwt'],
        jwks: { keys: [publicJwk] },
        tokenFormat: 'jwt',
        tokenSigningAlg: alg,
        scopes: ['country.read'],
      });
      expect(secret).toBeUndefined();
      expect(client.tokenSigningAlg).toBe(alg);
      const reply = await token(assertionParams(await clientAssertion(clientId, ISSUER, pair.privateKey, { alg, kid: `k-${alg}` })));
      expect(reply.status).toBe(200);
      expect(decodeProtectedHeader(reply.body.access_token).alg).toBe(alg);
      const jwks = createLocalJWKSet((await call(`${auth.server.baseUrl}/oauth2/jwks`)).body);
      await expect(jwtVerify(reply.body.access_token, jwks, { algorithms: [alg], issuer: ISSUER })).resolves.toBeDefined();
      // A private_key_jwt-only client has no secret to guess.
      const [row] = await sql<{ secret_hash: string | null }>(auth.db, 'SELECT secret_hash FROM clients WHERE client_id = $1', [clientId]);
      expect(row.secret_hash).toBeNull();
    });

    it('refuses to register a private key', async () => {
      const pair = await generateKeyPair('ES256', { extractable: true });
      await expect(
        auth.server.app
          .get(ClientAdminService)
          .create({ clientId: 'leaky', authMethods: ['private_key_jwt'], jwks: { keys: [await exportJWK(pair.privateKey)] } }),
      ).rejects.toThrow(/private or symmetric key material \(d\) refused/);
    });

    it('set-keys replaces the keys: the old key stops at once, the new one works', async () => {
      const first = await generateKeyPair('ES256', { extractable: true });
      const second = await generateKeyPair('ES256', { extractable: true });
      const admin = auth.server.app.get(ClientAdminService);
      await admin.create({
        clientId: 'rekeyed',
        authMethods: ['private_key_jwt'],
        jwks: { keys: [await exportJWK(first.publicKey)] },
        scopes: ['country.read'],
      });
      expect((await token(assertionParams(await clientAssertion('rekeyed', ISSUER, first.privateKey)))).status).toBe(200);
      await admin.setKeys('rekeyed', { jwks: { keys: [await exportJWK(second.publicKey)] } });
      await refused(token(assertionParams(await clientAssertion('rekeyed', ISSUER, first.privateKey))), 'old key');
      expect((await token(assertionParams(await clientAssertion('rekeyed', ISSUER, second.privateKey)))).status).toBe(200);
    });

    it('never fetches a jwks_uri on a loopback address unless JWKS_URI_ALLOW_PRIVATE_ADDRESSES', async () => {
      let fetched = 0;
      const jwksServer = createServer((_req, res) => {
        fetched++;
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":[]}');
      });
      await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = jwksServer.address() as AddressInfo;
        const admin = auth.server.app.get(ClientAdminService);
        await expect(
          admin.create({ clientId: 'plain-http', authMethods: ['private_key_jwt'], jwksUri: `http://127.0.0.1:${port}/jwks` }),
        ).rejects.toThrow(/https only/);
        await admin.create({
          clientId: 'loopback',
          authMethods: ['private_key_jwt'],
          jwksUri: `https://localhost:${port}/jwks`,
          scopes: ['country.read'],
        });
        await refused(token(assertionParams(await clientAssertion('loopback', ISSUER, key))), 'loopback jwks_uri');
        expect(fetched).toBe(0);
      } finally {
        await new Promise((resolve) => jwksServer.close(resolve));
      }
    });
  });

  describe('rotate-secret --grace (two live secrets)', () => {
    it('keeps the old secret working beside the new one until the grace period ends', async () => {
      const { secret: old } = await createSecretClient(auth.server, { clientId: 'graceful', scopes: ['country.read'] });
      const admin = auth.server.app.get(ClientAdminService);
      const post = (secret: string) => token({ client_id: 'graceful', client_secret: secret });
      expect((await post(old)).status).toBe(200);
      const fresh = await admin.rotateSecret('graceful', 2);
      expect((await post(old)).status).toBe(200);
      expect((await post(fresh)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      await refused(post(old), 'grace over');
      expect((await post(fresh)).status).toBe(200);
    });

    it('without --grace, the old secret stops at once (and a rotation without grace ends an earlier grace)', async () => {
      const { secret: old } = await createSecretClient(auth.server, { clientId: 'abrupt', scopes: ['country.read'] });
      const admin = auth.server.app.get(ClientAdminService);
      const post = (secret: string) => token({ client_id: 'abrupt', client_secret: secret });
      const middle = await admin.rotateSecret('abrupt', 600);
      const last = await admin.rotateSecret('abrupt');
      await refused(post(old), 'two rotations ago');
      await refused(post(middle), 'rotated without grace');
      expect((await post(last)).status).toBe(200);
    });
  });
});

describe('private_key_jwt with a jwks_uri, and replay across instances (one Postgres)', () => {
  let db: TestDatabase;
  let one: TestAuthServer;
  let two: TestAuthServer;
  let jwksServer: Server;
  let served: { keys: JWK[] } = { keys: [] };
  let fetches = 0;
  const env = { JWKS_URI_ALLOW_PRIVATE_ADDRESSES: 'true', CLIENT_JWKS_REFETCH_COOLDOWN_SECONDS: '1' };

  beforeAll(async () => {
    db = await createTestDatabase('auth_pkjwt_uri');
    one = await startAuthServer(db, { env });
    two = await startAuthServer(db, { env });
    jwksServer = createServer((_req, res) => {
      fetches++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(served));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => jwksServer?.close(resolve));
    await one?.close();
    await two?.close();
    await db?.drop();
  });

  const token = (server: TestAuthServer, assertion: string) =>
    postForm(`${server.baseUrl}/oauth2/token`, { grant_type: 'client_credentials', ...assertionParams(assertion) });

  it('a busy private_key_jwt client is not throttled by its own concurrent requests (default limits)', async () => {
    const key = await pkjwtPrivateKey();
    const assertions = await Promise.all(
      Array.from({ length: 30 }, () => clientAssertion(PKJWT, ISSUER, key, { kid: PKJWT_PRIVATE_JWK.kid })),
    );
    const statuses = await Promise.all(assertions.map(async (assertion) => (await token(one, assertion)).status));
    expect(statuses).toEqual(Array(30).fill(200));
  });

  it('an assertion used on one instance is a replay on the other', async () => {
    const key = await pkjwtPrivateKey();
    const assertion = await clientAssertion(PKJWT, ISSUER, key, { kid: PKJWT_PRIVATE_JWK.kid });
    expect((await token(one, assertion)).status).toBe(200);
    expect((await token(two, assertion)).status).toBe(401);
  });

  it('fetches the keys from the jwks_uri, caches them, and refetches on an unknown kid (key rollover at the client)', async () => {
    const first = await generateKeyPair('EdDSA', { extractable: true });
    served = { keys: [{ ...(await exportJWK(first.publicKey)), kid: 'first', alg: 'EdDSA', use: 'sig' }] };
    const { port } = jwksServer.address() as AddressInfo;
    await one.app.get(ClientAdminService).create({
      clientId: 'remote-keys',
      authMethods: ['private_key_jwt'],
      jwksUri: `http://localhost:${port}/jwks`,
      scopes: ['country.read'],
    });
    const sign = (k: CryptoKey, kid: string) => clientAssertion('remote-keys', ISSUER, k, { alg: 'EdDSA', kid });
    expect((await token(one, await sign(first.privateKey, 'first'))).status).toBe(200);
    expect((await token(one, await sign(first.privateKey, 'first'))).status).toBe(200);
    expect(fetches).toBe(1);

    const second = await generateKeyPair('EdDSA', { extractable: true });
    served = { keys: [...served.keys, { ...(await exportJWK(second.publicKey)), kid: 'second', alg: 'EdDSA', use: 'sig' }] };
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // past the refetch cooldown
    expect((await token(one, await sign(second.privateKey, 'second'))).status).toBe(200);
    expect(fetches).toBe(2);
  });
});
