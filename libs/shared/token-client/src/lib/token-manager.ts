import type { AuthorizationServerMetadata, TokenResponse } from '@playground/oauth-contracts';
import { clientSecretBasic } from './client-secret-basic';
import {
  ClientCredentialsRejectedError,
  TokenEndpointUnavailableError,
  TokenProtocolError,
  describeError,
} from './errors';
import { assertNotTransient, DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy } from './retry';
import { oauthTelemetry } from '@playground/telemetry';

/** Where the manager writes its one line per token request and its retry warnings. */
export interface TokenManagerLogger {
  log(message: string): void;
  warn(message: string): void;
}

export interface TokenManagerOptions {
  /**
   * The authorization server's issuer URL, e.g. `http://localhost:8085/ms-auth-server`.
   * Its RFC 8414 metadata is read from `<authServerUrl>/.well-known/oauth-authorization-server`.
   */
  authServerUrl: string;
  clientId: string;
  clientSecret: string;
  /** Space-delimited scopes to ask for; omitted → the client's registered scopes. */
  scope?: string;
  /** Skips discovery (e.g. when the issuer's public host is not reachable from this network). */
  tokenEndpoint?: string;
  /**
   * Refresh this long before `expires_in` runs out, at most `refreshSkewRatio` of the lifetime
   * (so a 10 s token is not refreshed on every call). Defaults: 30 s and 10 %.
   */
  refreshSkewSeconds?: number;
  refreshSkewRatio?: number;
  /** Retries of metadata and token requests on network errors, timeouts and 5xx. */
  retry?: Partial<RetryPolicy>;
  /** Per-request timeout. */
  requestTimeoutMs?: number;
  logger?: TokenManagerLogger;
  /** Clock, for tests. */
  now?: () => number;
}

interface CachedToken {
  accessToken: string;
  /** Epoch ms at which the server stops accepting it. */
  expiresAt: number;
  /** Epoch ms from which a new one is requested. */
  refreshAt: number;
}

const WELL_KNOWN = '/.well-known/oauth-authorization-server';

/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4) for a service calling another service:
 *
 * - finds the token endpoint through RFC 8414 metadata (once; a failed discovery is not cached);
 * - authenticates with client_secret_basic (§2.3.1 encoding);
 * - caches the token and asks for a new one `skew` before it expires;
 * - coalesces concurrent refreshes: however many callers need a token at once, one request is made;
 * - retries network errors and 5xx with exponential backoff and full jitter, then gives up with
 *   {@link TokenEndpointUnavailableError}; rejected credentials fail at once;
 * - `authorizedFetch` adds the bearer token and, on a 401 from the resource server, refreshes once
 *   and retries once.
 *
 * Tokens and the secret are never logged and never part of an error message.
 */
export class ClientCredentialsTokenManager {
  private readonly policy: RetryPolicy;
  private readonly now: () => number;
  private readonly logger: TokenManagerLogger;
  private tokenEndpoint?: string;
  private current?: CachedToken;
  private inflight?: Promise<CachedToken>;
  private requests = 0;

  constructor(private readonly options: TokenManagerOptions) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...stripUndefined(options.retry ?? {}) };
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? { log: () => undefined, warn: () => undefined };
    this.tokenEndpoint = options.tokenEndpoint;
  }

  /** How many token requests succeeded so far (observability and tests). */
  get tokensRequested(): number {
    return this.requests;
  }

  /** A valid access token: the cached one, or a new one when it is missing or about to expire. */
  async getAccessToken(): Promise<string> {
    const cached = this.current;
    const hit = Boolean(cached && this.now() < cached.refreshAt);
    oauthTelemetry.clientTokenCache(hit ? 'hit' : 'miss', this.options.clientId);
    if (cached && hit) return cached.accessToken;
    try {
      return (await this.refresh()).accessToken;
    } catch (error) {
      // Early refresh failed but the old token has not expired yet: keep using it. The next call
      // tries again. Rejected credentials are final, though.
      if (cached && this.current === cached && this.now() < cached.expiresAt && !(error instanceof ClientCredentialsRejectedError)) {
        this.logger.warn(`token refresh failed, the current token is still valid for a while: ${describeError(error)}`);
        return cached.accessToken;
      }
      throw error;
    }
  }

  /**
   * Drops the cached token, e.g. after the resource server answered 401 to it. With `token`, only
   * if it is still the cached one: callers that saw the same rejected token trigger one refresh.
   */
  invalidate(token?: string): void {
    if (token === undefined || this.current?.accessToken === token) this.current = undefined;
  }

  /**
   * `fetch` with `Authorization: Bearer <token>`. On a 401 the token is invalidated, a new one is
   * requested and the request is sent once more (a second 401 is returned as is). Send bodies that
   * can be replayed (strings, buffers), not streams.
   */
  async authorizedFetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const token = await this.getAccessToken();
    const response = await fetch(url, withBearer(init, token));
    if (response.status !== 401) return response;
    await response.body?.cancel().catch(() => undefined);
    this.invalidate(token);
    // A 401 from the token endpoint surfaces here as ClientCredentialsRejectedError: no loop.
    const fresh = await this.getAccessToken();
    return fetch(url, withBearer(init, fresh));
  }

  private refresh(): Promise<CachedToken> {
    this.inflight ??= this.requestToken()
      .then((token) => {
        this.current = token;
        return token;
      })
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }

  private async requestToken(): Promise<CachedToken> {
    const endpoint = await this.discoverTokenEndpoint();
    const body = new URLSearchParams({ grant_type: 'client_credentials' });
    if (this.options.scope) body.set('scope', this.options.scope);
    const response = await this.retrying('token request', () =>
      this.send(endpoint, {
        method: 'POST',
        headers: {
          authorization: clientSecretBasic(this.options.clientId, this.options.clientSecret),
          'content-type': 'application/x-www-form-urlencoded;charset=UTF-8',
          accept: 'application/json',
        },
        body: body.toString(),
      }),
    );
    const payload = (await response.json().catch(() => undefined)) as Partial<TokenResponse> & { error?: string } | undefined;
    if (response.status === 401 || payload?.error === 'invalid_client') {
      throw new ClientCredentialsRejectedError(response.status, payload?.error);
    }
    if (!response.ok) {
      throw new TokenProtocolError(`the token endpoint answered HTTP ${response.status}${payload?.error ? ` (${payload.error})` : ''}`);
    }
    if (!payload || typeof payload.access_token !== 'string' || !payload.access_token || payload.token_type?.toLowerCase() !== 'bearer') {
      throw new TokenProtocolError('the token endpoint answered without a bearer access_token');
    }
    // RFC 6749 §5.1: expires_in is RECOMMENDED, not required; without it assume a short life.
    const lifetimeSeconds = typeof payload.expires_in === 'number' && payload.expires_in > 0 ? payload.expires_in : 60;
    const skewMs = Math.min((this.options.refreshSkewSeconds ?? 30) * 1000, lifetimeSeconds * 1000 * (this.options.refreshSkewRatio ?? 0.1));
    const issuedAt = this.now();
    this.requests++;
    this.logger.log(
      `requested a new access token for ${this.options.clientId}` +
        `${payload.scope ? ` (scope ${payload.scope})` : ''}, expires in ${lifetimeSeconds} s`,
    );
    return {
      accessToken: payload.access_token,
      expiresAt: issuedAt + lifetimeSeconds * 1000,
      refreshAt: issuedAt + lifetimeSeconds * 1000 - skewMs,
    };
  }

  /** RFC 8414 §3: the metadata document names the token endpoint. Cached once found. */
  private async discoverTokenEndpoint(): Promise<string> {
    if (this.tokenEndpoint) return this.tokenEndpoint;
    const issuer = this.options.authServerUrl.replace(/\/+$/, '');
    const url = `${issuer}${WELL_KNOWN}`;
    const response = await this.retrying('metadata request', () => this.send(url, { headers: { accept: 'application/json' } }));
    if (!response.ok) throw new TokenProtocolError(`authorization server metadata at ${url} answered HTTP ${response.status}`);
    const metadata = (await response.json().catch(() => undefined)) as Partial<AuthorizationServerMetadata> | undefined;
    if (typeof metadata?.token_endpoint !== 'string') {
      throw new TokenProtocolError(`authorization server metadata at ${url} has no token_endpoint`);
    }
    if (metadata.issuer !== undefined && String(metadata.issuer).replace(/\/+$/, '') !== issuer) {
      // RFC 8414 §3.3 wants them identical; behind a proxy or in Docker they legitimately differ.
      this.logger.warn(`metadata issuer ${String(metadata.issuer)} differs from AUTH_SERVER_URL ${issuer}`);
    }
    this.tokenEndpoint = metadata.token_endpoint;
    return this.tokenEndpoint;
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 10_000) });
    if (response.status >= 500 || response.status === 429) {
      await response.body?.cancel().catch(() => undefined);
      assertNotTransient(response, url);
    }
    return response;
  }

  private retrying(what: string, operation: () => Promise<Response>): Promise<Response> {
    return withRetry(operation, this.policy, {
      onRetry: (error, failed) =>
        this.logger.warn(`${what} attempt ${failed} of ${this.policy.attempts} failed (${describeError(error)}); retrying`),
      onGiveUp: (error, attempts) => new TokenEndpointUnavailableError(attempts, error),
    });
  }
}

function withBearer(init: RequestInit, token: string): RequestInit {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  return { ...init, headers };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
