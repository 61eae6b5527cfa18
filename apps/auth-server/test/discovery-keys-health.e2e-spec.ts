import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { SigningKeyService } from '../src/app/keys/signing-key.service';
import {
  call,
  createTestDatabase,
  SEEDED,
  sql,
  startAuthServer,
  tokenFor,
  type TestAuthServer,
  type TestDatabase,
} from './support/auth-server';

const ISSUER = 'http://localhost:8085/ms-auth-server';
const METADATA = {
  issuer: ISSUER,
  token_endpoint: `${ISSUER}/oauth2/token`,
  introspection_endpoint: `${ISSUER}/oauth2/introspect`,
  revocation_endpoint: `${ISSUER}/oauth2/revoke`,
  jwks_uri: `${ISSUER}/oauth2/jwks`,
  response_types_supported: [],
  grant_types_supported: ['client_credentials'],
  token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
  token_endpoint_auth_signing_alg_values_supported: ['RS256', 'PS256', 'ES256', 'EdDSA', 'Ed25519'],
  scopes_supported: ['country.read', 'customer.read', 'customer.write'],
  introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
  introspection_endpoint_auth_signing_alg_values_supported: ['RS256', 'PS256', 'ES256', 'EdDSA', 'Ed25519'],
  revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
  revocation_endpoint_auth_signing_alg_values_supported: ['RS256', 'PS256', 'ES256', 'EdDSA', 'Ed25519'],
  access_token_signing_alg_values_supported: ['RS256', 'PS256', 'ES256', 'EdDSA'],
  dpop_signing_alg_values_supported: ['ES256', 'EdDSA', 'PS256', 'RS256'],
};

describe('JWKS (RFC 7517), metadata (RFC 8414), health and docs', () => {
  let db: TestDatabase;
  let server: TestAuthServer;

  beforeAll(async () => {
    db = await createTestDatabase('auth_discovery');
    server = await startAuthServer(db);
  });

  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  describe('GET /oauth2/jwks', () => {
    it('publishes one key per algorithm, each with kty, kid, use "sig", alg and exactly the public members of its type', async () => {
      const reply = await call(`${server.baseUrl}/oauth2/jwks`);
      expect(reply.status).toBe(200);
      const byAlg = Object.fromEntries(reply.body.keys.map((key: { alg: string }) => [key.alg, key]));
      expect(Object.keys(byAlg).sort()).toEqual(['ES256', 'EdDSA', 'PS256', 'RS256']);
      for (const alg of ['RS256', 'PS256']) {
        expect(Object.keys(byAlg[alg]).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
        expect(byAlg[alg]).toMatchObject({ kty: 'RSA', use: 'sig', alg, e: 'AQAB' });
        expect(Buffer.from(byAlg[alg].n, 'base64url').length * 8).toBeGreaterThanOrEqual(2048);
      }
      expect(Object.keys(byAlg['ES256']).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
      expect(byAlg['ES256']).toMatchObject({ kty: 'EC', crv: 'P-256', use: 'sig' });
      expect(Object.keys(byAlg['EdDSA']).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x']);
      expect(byAlg['EdDSA']).toMatchObject({ kty: 'OKP', crv: 'Ed25519', use: 'sig' });
      // RFC 7638 thumbprints as kids: distinct keys, stable names.
      expect(new Set(reply.body.keys.map((key: { kid: string }) => key.kid)).size).toBe(4);
    });

    it('keeps signing keys sealed at rest: no clear private key in the database', async () => {
      const rows = await sql<{ alg: string; private_key_pem: string | null; private_key_encrypted: string }>(
        db,
        'SELECT alg, private_key_pem, private_key_encrypted FROM signing_keys',
      );
      expect(rows.length).toBeGreaterThanOrEqual(4);
      for (const row of rows) {
        expect(row.private_key_pem).toBeNull();
        expect(row.private_key_encrypted).toMatch(/^kek1\./);
        expect(row.private_key_encrypted).not.toContain('PRIVATE KEY');
      }
    });

    it('verifies a JWT issued to service-client-jwt, with header typ at+jwt (RFC 9068 §4)', async () => {
      const token = await tokenFor(server.baseUrl, SEEDED.jwt);
      const jwks = createLocalJWKSet((await call(`${server.baseUrl}/oauth2/jwks`)).body);
      const { payload, protectedHeader } = await jwtVerify(token, jwks, {
        issuer: ISSUER,
        audience: 'service-client-jwt',
        typ: 'at+jwt',
        algorithms: ['RS256'],
      });
      expect(protectedHeader.typ).toBe('at+jwt');
      expect(payload.client_id).toBe('service-client-jwt');
    });

    it('keeps a retired key published after rotation while tokens signed with it live, and signs with the new key', async () => {
      const before = await tokenFor(server.baseUrl, SEEDED.jwt);
      const oldKid = decodeProtectedHeader(before).kid;
      const [{ active }] = await server.app.get(SigningKeyService).rotate({ alg: 'RS256', now: true });
      const after = await tokenFor(server.baseUrl, SEEDED.jwt);
      expect(decodeProtectedHeader(after).kid).toBe(active);
      const kids = (await call(`${server.baseUrl}/oauth2/jwks`)).body.keys.map((k: { kid: string }) => k.kid);
      expect(kids).toEqual(expect.arrayContaining([active, oldKid]));
      expect(kids).toHaveLength(5); // four active keys, one per algorithm, and the retired RS256 key
      const jwks = createLocalJWKSet((await call(`${server.baseUrl}/oauth2/jwks`)).body);
      await expect(jwtVerify(before, jwks)).resolves.toBeDefined();
      await expect(jwtVerify(after, jwks)).resolves.toBeDefined();
    });
  });

  describe('RFC 8414 metadata', () => {
    it('is served at /.well-known/oauth-authorization-server/ms-auth-server (RFC 8414 §3, outside the base path)', async () => {
      const reply = await call(`${server.origin}/.well-known/oauth-authorization-server/ms-auth-server`);
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
      expect(reply.body).toEqual(METADATA);
    });

    it('is served at /ms-auth-server/.well-known/oauth-authorization-server with the same body', async () => {
      const reply = await call(`${server.baseUrl}/.well-known/oauth-authorization-server`);
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual(METADATA);
    });
  });

  it('GET /ms-auth-server/health says the service and its database are up', async () => {
    const reply = await call(`${server.baseUrl}/health`);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      status: 'ok',
      info: { database: { status: 'up' } },
      error: {},
      details: { database: { status: 'up' } },
    });
  });

  it('GET /ms-auth-server/docs serves the Swagger UI', async () => {
    const reply = await call(`${server.baseUrl}/docs`);
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('swagger-ui');
  });

  it('describes the three OAuth endpoints in OpenAPI: POST with Basic auth, 200 and 401', async () => {
    const spec = (await (await fetch(`${server.baseUrl}/docs-json`)).json()) as {
      paths: Record<
        string,
        { post?: { requestBody?: { content: Record<string, unknown> }; responses: Record<string, unknown>; security?: unknown[] } }
      >;
    };
    for (const endpoint of ['token', 'introspect', 'revoke']) {
      const post = spec.paths[`/ms-auth-server/oauth2/${endpoint}`]?.post;
      expect(post).toBeDefined();
      expect(Object.keys(post?.responses ?? {})).toEqual(expect.arrayContaining(['200', '401']));
      expect(post?.security).toEqual([{ basic: [] }]);
    }
  });

  it('answers an unknown path with a JSON 404', async () => {
    const reply = await call(`${server.baseUrl}/nope`);
    expect(reply.status).toBe(404);
    expect(reply.body).toEqual({ error: 'not_found', error_description: 'no such resource' });
  });

  it('answers a GET on the token endpoint with a JSON 405, Allow: POST, and no stack trace', async () => {
    const reply = await call(`${server.baseUrl}/oauth2/token`);
    expect(reply.status).toBe(405);
    expect(reply.headers.get('allow')).toBe('POST');
    expect(reply.text).not.toMatch(/at .*\.(js|ts):\d+/);
  });
});
