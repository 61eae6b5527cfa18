import type { AuthorizationServerMetadata, TokenResponse } from '@playground/oauth-contracts';
import { clientSecretBasic } from './client-secret-basic';
import { DpopKey } from './dpop-key';
import { PrivateKeyJwtAuthenticator, type PrivateKeyJwtOptions } from './private-key-jwt';
import { ClientCredentialsRejectedError, TokenEndpointUnavailableError, TokenProtocolError, describeError } from './errors';
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
  /** client_secret_basic (RFC 6749 §2.3.1). Required unless `privateKeyJwt` is given. */
  clientSecret?: string;
  /** private_key_jwt (RFC 7523 §2.2) instead of a secret: the assertion is signed with this key. */
  privateKeyJwt?: PrivateKeyJwtOptions;
  /** RFC 8707 resource indicator(s) the token is for; the token's audience becomes them. */
  resource?: string | string[];
  /**
   * RFC 9449 DPoP: bind every token to a key pair generated in this process (`true`: ES256), and
   * send a proof with each token and resource request. A DpopKey may be passed to share one.
   */
  dpop?: boolean | { alg?: string } | DpopKey;
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
  /** `Bearer`, or `DPoP` for a token bound to this manager's key. */
  tokenType: 'Bearer' | 'DPoP';
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
 * - authenticates with client_secret_basic (§2.3.1 encoding) or private_key_jwt (RFC 7523 §2.2);
 * - asks for the configured `resource`(s) (RFC 8707) and binds tokens with DPoP (RFC 9449) when
 *   told to: a new proof per token request and per resource request (`authorizedFetch`);
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
  private issuer?: string;
  private readonly assertions?: PrivateKeyJwtAuthenticator;
  private dpopKey?: Promise<DpopKey>;
  private current?: CachedToken;
  private inflight?: Promise<CachedToken>;
  private requests = 0;

  constructor(private readonly options: TokenManagerOptions) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...stripUndefined(options.retry ?? {}) };
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? { log: () => undefined, warn: () => undefined };
    this.tokenEndpoint = options.tokenEndpoint;
    if (options.privateKeyJwt) this.assertions = new PrivateKeyJwtAuthenticator(options.clientId, options.privateKeyJwt);
    else if (!options.clientSecret) throw new Error('the token manager needs clientSecret or privateKeyJwt');
    const { dpop } = options;
    if (dpop instanceof DpopKey) this.dpopKey = Promise.resolve(dpop);
    else if (dpop) this.dpopKey = DpopKey.generate(dpop === true ? 'ES256' : (dpop.alg ?? 'ES256'));
  }

  /** How many token requests succeeded so far (observability and tests). */
  get tokensRequested(): number {
    return this.requests;
  }

  /** A valid access token: the cached one, or a new one when it is missing or about to expire. */
  async getAccessToken(): Promise<string> {
    return (await this.currentToken()).accessToken;
  }

  private async currentToken(): Promise<CachedToken> {
    const cached = this.current;
    const hit = Boolean(cached && this.now() < cached.refreshAt);
    oauthTelemetry.clientTokenCache(hit ? 'hit' : 'miss', this.options.clientId);
    if (cached && hit) return cached;
    try {
      return await this.refresh();
    } catch (error) {
      // Early refresh failed but the old token has not expired yet: keep using it. The next call
      // tries again. Rejected credentials are final, though.
      if (cached && this.current === cached && this.now() < cached.expiresAt && !(error instanceof ClientCredentialsRejectedError)) {
        this.logger.warn(`token refresh failed, the current token is still valid for a while: ${describeError(error)}`);
        return cached;
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
   * `fetch` with `Authorization: Bearer <token>` — or, for a DPoP-bound token, `Authorization:
   * DPoP <token>` and a fresh `DPoP` proof for this method, URL and token (RFC 9449 §7). On a 401
   * the token is invalidated, a new one is requested and the request is sent once more (with a
   * new proof; a second 401 is returned as is). Send bodies that can be replayed (strings,
   * buffers), not streams.
   */
  async authorizedFetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const token = await this.currentToken();
    const response = await fetch(url, await this.authorize(url, init, token));
    if (response.status !== 401) return response;
    await response.body?.cancel().catch(() => undefined);
    this.invalidate(token.accessToken);
    // A 401 from the token endpoint surfaces here as ClientCredentialsRejectedError: no loop.
    const fresh = await this.currentToken();
    return fetch(url, await this.authorize(url, init, fresh));
  }

  private async authorize(url: string | URL, init: RequestInit, token: CachedToken): Promise<RequestInit> {
    const headers = new Headers(init.headers);
    if (token.tokenType === 'DPoP' && this.dpopKey) {
      const key = await this.dpopKey;
      headers.set('authorization', `DPoP ${token.accessToken}`);
      headers.set(
        'dpop',
        await key.proof({ htm: (init.method ?? 'GET').toUpperCase(), htu: url, accessToken: token.accessToken }, this.now()),
      );
    } else {
      headers.set('authorization', `Bearer ${token.accessToken}`);
    }
    return { ...init, headers };
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
    // Built per attempt: an assertion's and a proof's jti are single-use, so a retry signs anew.
    const response = await this.retrying('token request', async () => {
      const body = new URLSearchParams({ grant_type: 'client_credentials' });
      if (this.options.scope) body.set('scope', this.options.scope);
      const resources = this.options.resource === undefined ? [] : [this.options.resource].flat();
      for (const resource of resources) body.append('resource', resource);
      const headers: Record<string, string> = {
        'content-type': 'application/x-www-form-urlencoded;charset=UTF-8',
        accept: 'application/json',
      };
      if (this.assertions) {
        const audience = this.issuer ?? this.options.authServerUrl.replace(/\/+$/, '');
        for (const [name, value] of Object.entries(await this.assertions.parameters(audience, this.now()))) body.set(name, value);
      } else {
        headers['authorization'] = clientSecretBasic(this.options.clientId, this.options.clientSecret as string);
      }
      if (this.dpopKey) headers['dpop'] = await (await this.dpopKey).proof({ htm: 'POST', htu: endpoint }, this.now());
      return this.send(endpoint, { method: 'POST', headers, body: body.toString() });
    });
    const payload = (await response.json().catch(() => undefined)) as (Partial<TokenResponse> & { error?: string }) | undefined;
    if (response.status === 401 || payload?.error === 'invalid_client') {
      throw new ClientCredentialsRejectedError(response.status, payload?.error);
    }
    if (!response.ok) {
      throw new TokenProtocolError(`the token endpoint answered HTTP ${response.status}${payload?.error ? ` (${payload.error})` : ''}`);
    }
    const tokenType = payload?.token_type?.toLowerCase();
    // RFC 9449 §5: a client that sent a proof must get a DPoP token (else the server ignored DPoP).
    const expected = this.dpopKey ? 'dpop' : 'bearer';
    if (!payload || typeof payload.access_token !== 'string' || !payload.access_token || tokenType !== expected) {
      throw new TokenProtocolError(`the token endpoint answered without a ${expected === 'dpop' ? 'DPoP' : 'bearer'} access_token`);
    }
    // RFC 6749 §5.1: expires_in is RECOMMENDED, not required; without it assume a short life.
    const lifetimeSeconds = typeof payload.expires_in === 'number' && payload.expires_in > 0 ? payload.expires_in : 60;
    const skewMs = Math.min(
      (this.options.refreshSkewSeconds ?? 30) * 1000,
      lifetimeSeconds * 1000 * (this.options.refreshSkewRatio ?? 0.1),
    );
    const issuedAt = this.now();
    this.requests++;
    this.logger.log(
      `requested a new access token for ${this.options.clientId}` +
        `${payload.scope ? ` (scope ${payload.scope})` : ''}, expires in ${lifetimeSeconds} s`,
    );
    return {
      accessToken: payload.access_token,
      tokenType: this.dpopKey ? 'DPoP' : 'Bearer',
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
    // RFC 7523 §3: an assertion's `aud` is the issuer identifier the metadata names.
    if (typeof metadata.issuer === 'string') this.issuer = metadata.issuer;
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

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
