import { freePort } from '@playground/database/testing';
import { startFakeAuthServer, type FakeAuthServer } from '@playground/testing';
import { ClientCredentialsRejectedError, TokenEndpointUnavailableError } from './errors';
import { ClientCredentialsTokenManager, type TokenManagerOptions } from './token-manager';

describe('ClientCredentialsTokenManager', () => {
  let stub: FakeAuthServer;
  let clock: number;
  let logs: string[];

  beforeEach(async () => {
    stub = await startFakeAuthServer();
    clock = Date.UTC(2026, 10, 23, 10, 0, 0);
    logs = [];
  });
  afterEach(() => stub.close());

  function manager(options: Partial<TokenManagerOptions> = {}): ClientCredentialsTokenManager {
    return new ClientCredentialsTokenManager({
      authServerUrl: stub.issuer,
      clientId: 'archival-service',
      clientSecret: 'archival-service-secret',
      retry: { attempts: 3, initialDelayMs: 5, maxDelayMs: 20 },
      now: () => clock,
      logger: { log: (m) => logs.push(`log ${m}`), warn: (m) => logs.push(`warn ${m}`) },
      ...options,
    });
  }

  const token = (access_token: string, expires_in = 3600) => ({
    status: 200,
    body: { access_token, token_type: 'Bearer', expires_in, scope: 'country.read' },
  });

  describe('token request (RFC 6749 §4.4, RFC 8414)', () => {
    it('finds the token endpoint through the metadata and asks for client_credentials', async () => {
      await expect(manager().getAccessToken()).resolves.toBe('token-1');
      expect(stub.metadataRequests).toHaveLength(1);
      expect(stub.tokenRequests).toHaveLength(1);
      const [request] = stub.tokenRequests;
      expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8');
      expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({ grant_type: 'client_credentials' });
    });

    it('sends the requested scope when configured', async () => {
      await manager({ scope: 'country.read' }).getAccessToken();
      expect(new URLSearchParams(stub.tokenRequests[0].body).get('scope')).toBe('country.read');
    });

    it('form-urlencodes id and secret before Basic encoding (RFC 6749 §2.3.1)', async () => {
      await manager({ clientId: 'svc client', clientSecret: 'p:ss%w rd+é' }).getAccessToken();
      const header = stub.tokenRequests[0].headers.authorization ?? '';
      expect(header.startsWith('Basic ')).toBe(true);
      const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
      expect(decoded).toBe('svc+client:p%3Ass%25w+rd%2B%C3%A9');
      const [id, secret] = decoded.split(':').map((part) => decodeURIComponent(part.replace(/\+/g, ' ')));
      expect([id, secret]).toEqual(['svc client', 'p:ss%w rd+é']);
    });

    it('discovers the metadata once for many token requests', async () => {
      const tokens = manager();
      await tokens.getAccessToken();
      tokens.invalidate();
      await tokens.getAccessToken();
      expect(stub.metadataRequests).toHaveLength(1);
      expect(stub.tokenRequests).toHaveLength(2);
    });

    it('logs one line per token request, without the token or the secret', async () => {
      const tokens = manager();
      for (let i = 0; i < 5; i++) await tokens.getAccessToken();
      expect(logs).toEqual(['log requested a new access token for archival-service (scope country.read), expires in 3600 s']);
      expect(logs.join('\n')).not.toMatch(/token-1|archival-service-secret/);
    });
  });

  describe('cache and early refresh', () => {
    it('reuses the token until `skew` before it expires, then asks for a new one', async () => {
      const tokens = manager({ refreshSkewSeconds: 30 });
      await expect(tokens.getAccessToken()).resolves.toBe('token-1');
      clock += (3600 - 31) * 1000;
      await expect(tokens.getAccessToken()).resolves.toBe('token-1');
      expect(stub.tokenRequests).toHaveLength(1);
      clock += 1000; // 30 s left
      await expect(tokens.getAccessToken()).resolves.toBe('token-2');
      expect(stub.tokenRequests).toHaveLength(2);
    });

    it('caps the skew at 10 % of a short lifetime', async () => {
      stub.onToken = (n) => token(`short-${n}`, 100);
      const tokens = manager({ refreshSkewSeconds: 30 });
      await tokens.getAccessToken();
      clock += 89_000;
      await expect(tokens.getAccessToken()).resolves.toBe('short-1');
      clock += 1_000; // 10 s (10 % of 100 s) left
      await expect(tokens.getAccessToken()).resolves.toBe('short-2');
    });

    it('keeps using a still-valid token when its early refresh fails', async () => {
      const tokens = manager();
      await tokens.getAccessToken();
      stub.onToken = () => ({ status: 503, body: { error: 'server_error' } });
      clock += (3600 - 10) * 1000; // inside the skew, not expired
      await expect(tokens.getAccessToken()).resolves.toBe('token-1');
      clock += 10_000; // expired
      await expect(tokens.getAccessToken()).rejects.toBeInstanceOf(TokenEndpointUnavailableError);
    });

    it('coalesces 50 concurrent callers into exactly one token request', async () => {
      stub.onToken = (n) => ({ ...token(`coalesced-${n}`), delayMs: 100 });
      const tokens = manager();
      const results = await Promise.all(Array.from({ length: 50 }, () => tokens.getAccessToken()));
      expect(new Set(results)).toEqual(new Set(['coalesced-1']));
      expect(stub.tokenRequests).toHaveLength(1);
      expect(tokens.tokensRequested).toBe(1);
    });

    it('invalidate(token) drops only that token, so callers holding a stale one refresh once', async () => {
      const tokens = manager();
      const first = await tokens.getAccessToken();
      tokens.invalidate(first);
      const second = await tokens.getAccessToken();
      tokens.invalidate(first); // a late caller reporting the old token
      await expect(tokens.getAccessToken()).resolves.toBe(second);
      expect(stub.tokenRequests).toHaveLength(2);
    });
  });

  describe('retries (network errors and 5xx, exponential backoff with jitter)', () => {
    it('retries 5xx with backoff, then succeeds', async () => {
      stub.onToken = (n) => (n < 3 ? { status: 503, body: { error: 'temporarily_unavailable' } } : token('after-retries'));
      await expect(manager().getAccessToken()).resolves.toBe('after-retries');
      expect(stub.tokenRequests).toHaveLength(3);
      expect(logs.filter((l) => l.startsWith('warn'))).toHaveLength(2);
    });

    it('retries a dropped connection', async () => {
      stub.onToken = (n) => (n === 1 ? 'destroy' : token('after-reset'));
      await expect(manager().getAccessToken()).resolves.toBe('after-reset');
      expect(stub.tokenRequests).toHaveLength(2);
    });

    it('gives up after the configured attempts with a clear error', async () => {
      stub.onToken = () => ({ status: 500, body: { error: 'server_error' } });
      const error = await manager({ retry: { attempts: 4, initialDelayMs: 1, maxDelayMs: 5 } })
        .getAccessToken()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TokenEndpointUnavailableError);
      expect((error as Error).message).toBe(`token request failed after 4 attempts: ${stub.issuer}/oauth2/token answered HTTP 500`);
      expect(stub.tokenRequests).toHaveLength(4);
    });

    it('gives up when the authorization server is unreachable', async () => {
      const port = await freePort();
      const error = await manager({ authServerUrl: `http://127.0.0.1:${port}/ms-auth-server` })
        .getAccessToken()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TokenEndpointUnavailableError);
      expect((error as Error).message).toMatch(/^token request failed after 3 attempts: network error \(ECONNREFUSED/);
    });

    it('does not retry rejected credentials (401 invalid_client)', async () => {
      stub.onToken = () => ({ status: 401, body: { error: 'invalid_client', error_description: 'client authentication failed' } });
      await expect(manager().getAccessToken()).rejects.toBeInstanceOf(ClientCredentialsRejectedError);
      expect(stub.tokenRequests).toHaveLength(1);
    });
  });

  describe('authorizedFetch (RFC 6750 §2.1)', () => {
    const resource = () => `${stub.origin}/resource`;

    it('sends the bearer token and keeps the caller’s headers', async () => {
      const response = await manager().authorizedFetch(resource(), { headers: { accept: 'application/json' } });
      expect(response.status).toBe(200);
      expect(stub.resourceRequests[0].headers.authorization).toBe('Bearer token-1');
      expect(stub.resourceRequests[0].headers.accept).toBe('application/json');
    });

    it('one token serves many requests', async () => {
      const tokens = manager();
      for (let i = 0; i < 10; i++) await tokens.authorizedFetch(resource());
      expect(stub.tokenRequests).toHaveLength(1);
      expect(stub.resourceRequests).toHaveLength(10);
    });

    it('on a 401 invalidates, refreshes once and retries once', async () => {
      stub.onResource = (_n, request) =>
        request.headers.authorization === 'Bearer token-1'
          ? { status: 401, body: { error: 'invalid_token' } }
          : { status: 200, body: { ok: true } };
      const tokens = manager();
      const response = await tokens.authorizedFetch(resource());
      expect(response.status).toBe(200);
      expect(stub.tokenRequests).toHaveLength(2);
      expect(stub.resourceRequests.map((r) => r.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
    });

    it('returns a second 401 as is instead of looping', async () => {
      stub.onResource = () => ({ status: 401, body: { error: 'invalid_token' } });
      const response = await manager().authorizedFetch(resource());
      expect(response.status).toBe(401);
      expect(stub.tokenRequests).toHaveLength(2);
      expect(stub.resourceRequests).toHaveLength(2);
    });

    it('concurrent 401s on the same token cause one refresh', async () => {
      stub.onResource = (_n, request) =>
        request.headers.authorization === 'Bearer token-1' ? { status: 401, body: {} } : { status: 200, body: { ok: true } };
      const tokens = manager();
      await tokens.getAccessToken();
      const responses = await Promise.all(Array.from({ length: 10 }, () => tokens.authorizedFetch(resource())));
      expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
      expect(stub.tokenRequests).toHaveLength(2);
    });

    it('a 401 from the token endpoint during the refresh is a credentials error, not a loop', async () => {
      stub.onResource = () => ({ status: 401, body: { error: 'invalid_token' } });
      stub.onToken = (n) => (n === 1 ? token('token-1') : { status: 401, body: { error: 'invalid_client' } });
      await expect(manager().authorizedFetch(resource())).rejects.toBeInstanceOf(ClientCredentialsRejectedError);
      expect(stub.tokenRequests).toHaveLength(2);
      expect(stub.resourceRequests).toHaveLength(1);
    });
  });
});
