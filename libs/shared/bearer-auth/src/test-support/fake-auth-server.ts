import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/**
 * A tiny authorization server on 127.0.0.1 for the bearer-auth specs: RFC 8414 metadata, a JWKS,
 * RFC 7662 introspection of the opaque tokens it knows, and the revocations feed. It counts calls
 * so tests can assert caching and coalescing. Test support: exported as `@playground/bearer-auth/testing`.
 */
export interface FakeAuthServer {
  url: string;
  issuer: string;
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  calls: { metadata: number; jwks: number; introspect: number; revocations: number };
  /** Last Authorization header seen on introspection. */
  lastIntrospectionAuth?: string;
  /** Signs a JWT access token the way the real auth-server does (RFC 9068). */
  jwt(claims?: Partial<JWTPayload & { client_id: string; scope: string }>, header?: Record<string, unknown>): Promise<string>;
  /** Registers an opaque token that introspection reports as active. */
  opaque(claims?: { client_id?: string; scope?: string; exp?: number; jti?: string; aud?: string[]; cnf?: { jkt: string } }): string;
  revoke(jti: string, exp: number): void;
  /** What metadata announces as `access_token_signing_alg_values_supported` (absent when undefined). */
  accessTokenAlgs?: string[];
  /** More public keys for the JWKS (tokens signed with other algorithms). */
  extraKeys: JWK[];
  /** Make introspection slow (ms) or fail. */
  introspectionDelayMs: number;
  down: boolean;
  close(): Promise<void>;
}

export async function startFakeAuthServer(): Promise<FakeAuthServer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' };
  const opaqueTokens = new Map<string, Record<string, unknown>>();
  const revoked: { jti: string; exp: number }[] = [];

  const fake: FakeAuthServer = {
    url: '',
    issuer: '',
    kid,
    privateKey,
    publicJwk,
    calls: { metadata: 0, jwks: 0, introspect: 0, revocations: 0 },
    introspectionDelayMs: 0,
    extraKeys: [],
    down: false,
    async jwt(claims = {}, header = {}) {
      const now = Math.floor(Date.now() / 1000);
      const clientId = claims.client_id ?? 'service-client-jwt';
      const body = { iss: fake.issuer, sub: clientId, aud: [clientId], iat: now, nbf: now, exp: now + 300, jti: randomUUID(), client_id: clientId, scope: 'country.read customer.read', ...claims };
      const token = await new SignJWT(body).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid, ...header }).sign(privateKey);
      // The real auth-server introspects its JWTs too.
      const aud = Array.isArray(body.aud) ? body.aud : [body.aud];
      opaqueTokens.set(token, { active: true, token_type: (body as Record<string, unknown>)['cnf'] ? 'DPoP' : 'Bearer', ...body, aud });
      return token;
    },
    opaque(claims = {}) {
      const token = randomUUID().replace(/-/g, '') + randomUUID().replace(/-/g, '');
      const now = Math.floor(Date.now() / 1000);
      const clientId = claims.client_id ?? 'user-client-opaque';
      opaqueTokens.set(token, {
        active: true,
        sub: clientId,
        aud: claims.aud ?? [clientId],
        nbf: now,
        iat: now,
        exp: claims.exp ?? now + 300,
        scope: claims.scope ?? 'country.read customer.read',
        iss: fake.issuer,
        jti: claims.jti ?? randomUUID(),
        client_id: clientId,
        token_type: claims.cnf ? 'DPoP' : 'Bearer',
        ...(claims.cnf ? { cnf: claims.cnf } : {}),
      });
      return token;
    },
    revoke(jti, exp) {
      revoked.push({ jti, exp });
      for (const [token, claims] of opaqueTokens) if (claims['jti'] === jti) opaqueTokens.delete(token);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (fake.down) return send(503, { error: 'temporarily_unavailable' });
    const url = new URL(req.url ?? '/', fake.url);
    const path = url.pathname.slice(new URL(fake.issuer).pathname.length);
    if (path === '/.well-known/oauth-authorization-server') {
      fake.calls.metadata++;
      return send(200, {
        issuer: fake.issuer,
        jwks_uri: `${fake.issuer}/oauth2/jwks`,
        introspection_endpoint: `${fake.issuer}/oauth2/introspect`,
        token_endpoint: `${fake.issuer}/oauth2/token`,
        ...(fake.accessTokenAlgs ? { access_token_signing_alg_values_supported: fake.accessTokenAlgs } : {}),
      });
    }
    if (path === '/oauth2/jwks') {
      fake.calls.jwks++;
      return send(200, { keys: [publicJwk, ...fake.extraKeys] });
    }
    const expectedAuth = `Basic ${Buffer.from('service-client-jwt:service-client-jwt-secret').toString('base64')}`;
    if (path === '/oauth2/introspect' && req.method === 'POST') {
      fake.calls.introspect++;
      fake.lastIntrospectionAuth = req.headers.authorization;
      if (req.headers.authorization !== expectedAuth) return send(401, { error: 'invalid_client' });
      const token = new URLSearchParams(await readBody(req)).get('token') ?? '';
      if (fake.introspectionDelayMs) await new Promise((r) => setTimeout(r, fake.introspectionDelayMs));
      const claims = opaqueTokens.get(token);
      return send(200, claims && (claims['exp'] as number) > Date.now() / 1000 ? claims : { active: false });
    }
    if (path === '/oauth2/revocations' && req.method === 'GET') {
      fake.calls.revocations++;
      if (req.headers.authorization !== expectedAuth) return send(401, { error: 'invalid_client' });
      const after = Number(url.searchParams.get('after') ?? '0');
      return send(200, { revocations: revoked.slice(after), cursor: String(revoked.length) });
    }
    return send(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.url = `http://127.0.0.1:${port}`;
  fake.issuer = `${fake.url}/ms-auth-server`;
  return fake;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}
