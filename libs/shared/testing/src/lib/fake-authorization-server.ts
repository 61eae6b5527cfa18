import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/** A request the fake received, as a test may inspect it. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A programmed answer; `'destroy'` drops the connection without one. */
export type FakeReply = { status: number; body?: unknown; delayMs?: number; headers?: Record<string, string> } | 'destroy';

/**
 * The one fake authorization server of the tests, on 127.0.0.1 (node:http and jose only), under
 * `<origin>/ms-auth-server`: RFC 8414 metadata, a JWKS, a client-credentials token endpoint whose
 * answers a test may program, RFC 7662 introspection of the tokens it knows, the revocations feed,
 * and a `/resource` (outside the issuer path) for clients that call a resource server. It counts
 * and records calls so tests can assert caching, coalescing and retries. For resource-server tests
 * (bearer-auth, ms-system) and client tests (token-client) alike.
 */
export interface FakeAuthServer {
  /** Origin, `http://127.0.0.1:<port>`. */
  url: string;
  origin: string;
  issuer: string;
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  calls: { metadata: number; jwks: number; introspect: number; revocations: number };
  metadataRequests: RecordedRequest[];
  tokenRequests: RecordedRequest[];
  resourceRequests: RecordedRequest[];
  /** Answers the n-th (1-based) token request. Default: a fresh opaque `token-<n>` living 3600 s, active at introspection. */
  onToken: (n: number, request: RecordedRequest) => FakeReply;
  /** Answers the n-th resource request. Default: 200 `{"ok":true}`. */
  onResource: (n: number, request: RecordedRequest) => FakeReply;
  /** Last Authorization header seen on introspection. */
  lastIntrospectionAuth?: string;
  /** Signs a JWT access token the way the real auth-server does (RFC 9068). */
  jwt(claims?: Partial<JWTPayload & { client_id: string; scope: string }>, header?: Record<string, unknown>): Promise<string>;
  /** Registers an opaque token that introspection reports as active. */
  opaque(claims?: { client_id?: string; scope?: string; exp?: number; jti?: string; aud?: string[]; cnf?: { jkt: string } }): string;
  revoke(jti: string, exp: number): void;
  /** Whether introspection would call `token` active (issued or registered, unexpired, not revoked). */
  isActive(token: string): boolean;
  /** Forgets every token: all of them become inactive at once. */
  revokeAll(): void;
  /** Stops listening (connections dropped); `start()` listens again on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** What metadata announces as `access_token_signing_alg_values_supported` (absent when undefined). */
  accessTokenAlgs?: string[];
  /** More public keys for the JWKS (tokens signed with other algorithms). */
  extraKeys: JWK[];
  /** Make introspection slow (ms) or fail. */
  introspectionDelayMs: number;
  down: boolean;
  close(): Promise<void>;
}

export interface FakeAuthServerOptions {
  /**
   * Registered clients (id → secret). When given, the default token endpoint requires
   * `client_secret_basic` for one of them (RFC 6749 §2.3.1: both halves form-urlencoded) and
   * `grant_type=client_credentials`, and answers 401 `invalid_client` otherwise.
   */
  clients?: Record<string, string>;
}

export async function startFakeAuthServer(options: FakeAuthServerOptions = {}): Promise<FakeAuthServer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' };
  const opaqueTokens = new Map<string, Record<string, unknown>>();
  const revoked: { jti: string; exp: number }[] = [];

  const fake: FakeAuthServer = {
    url: '',
    origin: '',
    issuer: '',
    kid,
    privateKey,
    publicJwk,
    calls: { metadata: 0, jwks: 0, introspect: 0, revocations: 0 },
    metadataRequests: [],
    tokenRequests: [],
    resourceRequests: [],
    onToken: (n, request) => {
      const clientId = options.clients ? authenticated(request, options.clients) : 'service-client-jwt';
      if (clientId === undefined)
        return { status: 401, body: { error: 'invalid_client', error_description: 'client authentication failed' } };
      const token = `token-${n}`;
      register(token, { client_id: clientId, scope: 'country.read', exp: Math.floor(Date.now() / 1000) + 3600 });
      return {
        status: 200,
        body: { access_token: token, token_type: 'Bearer', expires_in: 3600, scope: 'country.read' },
        headers: { 'cache-control': 'no-store' },
      };
    },
    onResource: () => ({ status: 200, body: { ok: true } }),
    introspectionDelayMs: 0,
    extraKeys: [],
    down: false,
    async jwt(claims = {}, header = {}) {
      const now = Math.floor(Date.now() / 1000);
      const clientId = claims.client_id ?? 'service-client-jwt';
      const body = {
        iss: fake.issuer,
        sub: clientId,
        aud: [clientId],
        iat: now,
        nbf: now,
        exp: now + 300,
        jti: randomUUID(),
        client_id: clientId,
        scope: 'country.read customer.read',
        ...claims,
      };
      const token = await new SignJWT(body).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid, ...header }).sign(privateKey);
      // The real auth-server introspects its JWTs too.
      // Introspection answers aud as an array, and a DPoP-bound token as such (RFC 9449 §6.2).
      const aud = Array.isArray(body.aud) ? body.aud : [body.aud];
      opaqueTokens.set(token, { active: true, token_type: (body as Record<string, unknown>)['cnf'] ? 'DPoP' : 'Bearer', ...body, aud });
      return token;
    },
    opaque(claims = {}) {
      const token = randomUUID().replace(/-/g, '') + randomUUID().replace(/-/g, '');
      register(token, { client_id: 'user-client-opaque', ...claims });
      return token;
    },
    revoke(jti, exp) {
      revoked.push({ jti, exp });
      for (const [token, claims] of opaqueTokens) if (claims['jti'] === jti) opaqueTokens.delete(token);
    },
    isActive: (token) => {
      const claims = opaqueTokens.get(token);
      return claims !== undefined && (claims['exp'] as number) > Date.now() / 1000;
    },
    revokeAll: () => opaqueTokens.clear(),
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    start: () => new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', () => resolve())),
    close: () => fake.stop(),
  };
  let port = 0;

  /** An opaque token introspection reports as active, with the claims the real server gives. */
  function register(
    token: string,
    claims: { client_id?: string; scope?: string; exp?: number; jti?: string; aud?: string[]; cnf?: { jkt: string } },
  ): void {
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
  }

  const server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (fake.down) return send(503, { error: 'temporarily_unavailable' });
    const url = new URL(req.url ?? '/', fake.url);
    const record = async (): Promise<RecordedRequest> => ({
      method: req.method ?? '',
      path: url.pathname,
      headers: req.headers,
      body: await readBody(req),
    });
    if (url.pathname === '/resource') {
      fake.resourceRequests.push(await record());
      return reply(res, fake.onResource(fake.resourceRequests.length, fake.resourceRequests[fake.resourceRequests.length - 1]));
    }
    const path = url.pathname.slice(new URL(fake.issuer).pathname.length);
    if (path === '/.well-known/oauth-authorization-server') {
      fake.calls.metadata++;
      fake.metadataRequests.push(await record());
      return send(200, {
        issuer: fake.issuer,
        jwks_uri: `${fake.issuer}/oauth2/jwks`,
        introspection_endpoint: `${fake.issuer}/oauth2/introspect`,
        token_endpoint: `${fake.issuer}/oauth2/token`,
        grant_types_supported: ['client_credentials'],
        ...(fake.accessTokenAlgs ? { access_token_signing_alg_values_supported: fake.accessTokenAlgs } : {}),
      });
    }
    if (path === '/oauth2/token' && req.method === 'POST') {
      fake.tokenRequests.push(await record());
      return reply(res, fake.onToken(fake.tokenRequests.length, fake.tokenRequests[fake.tokenRequests.length - 1]));
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
  await fake.start();
  port = (server.address() as AddressInfo).port;
  fake.url = `http://127.0.0.1:${port}`;
  fake.origin = fake.url;
  fake.issuer = `${fake.url}/ms-auth-server`;
  return fake;
}

/** The client a client_secret_basic token request authenticates as, or undefined. */
function authenticated(request: RecordedRequest, clients: Record<string, string>): string | undefined {
  if (new URLSearchParams(request.body).get('grant_type') !== 'client_credentials') return undefined;
  const basic = /^Basic (.+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
  const decoded = Buffer.from(basic, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const [id, secret] = [decoded.slice(0, colon), decoded.slice(colon + 1)].map((part) => decodeURIComponent(part.replace(/\+/g, ' ')));
  return clients[id] !== undefined && clients[id] === secret ? id : undefined;
}

function reply(res: ServerResponse, answer: FakeReply): void {
  if (answer === 'destroy') {
    res.socket?.destroy();
    return;
  }
  const send = () => {
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  };
  if (answer.delayMs) setTimeout(send, answer.delayMs);
  else send();
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}
