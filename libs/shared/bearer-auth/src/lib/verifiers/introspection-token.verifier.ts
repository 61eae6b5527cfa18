import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { type AuthenticatedClient, type IntrospectionResponse, InvalidTokenError, parseScope } from '@playground/oauth-contracts';
import { BEARER_AUTH_OPTIONS, type ResolvedBearerAuthOptions } from '../bearer-auth.options';
import { AuthorizationServerClient } from '../metadata/authorization-server.client';
import { audienceList, confirmationThumbprint, unavailable } from './jwt-token.verifier';
import { isWellFormedToken, tokenCacheKey, type TokenVerifier } from './token-verifier';
import { oauthTelemetry } from '@playground/telemetry';

/** A cached introspection outcome: the client, or `null` for an inactive token. */
type Outcome = AuthenticatedClient | null;

/**
 * RFC 7662 introspection at the authorization server, authenticated as a client that may
 * introspect (client_secret_basic).
 *
 * Cache, keyed by SHA-256 of the token (a heap dump never shows a usable token):
 * - active → kept until the earlier of the token's `exp` and `cacheTtlSeconds` (default 5 s, below
 *   the 10 s revocation window: a revoked opaque token is refused within that TTL at the latest);
 * - inactive → kept `negativeCacheTtlSeconds` (default 3 s), so one bad token repeated in a loop
 *   costs one call every few seconds;
 * - failures to reach the server are not cached;
 * - at most `cacheMaxEntries` entries (LRU), so random tokens cannot grow memory without bound.
 * Concurrent lookups of one token share a single call.
 */
@Injectable()
export class IntrospectionTokenVerifier implements TokenVerifier {
  private readonly cache: LRUCache<string, { outcome: Outcome }>;
  private readonly inFlight = new Map<string, Promise<Outcome>>();

  constructor(
    @Inject(BEARER_AUTH_OPTIONS) private readonly options: ResolvedBearerAuthOptions,
    private readonly authServer: AuthorizationServerClient,
  ) {
    this.cache = new LRUCache({ max: options.introspection.cacheMaxEntries, ttlAutopurge: false });
  }

  async verify(token: string): Promise<AuthenticatedClient> {
    if (!isWellFormedToken(token, this.options.maxTokenLength)) throw new InvalidTokenError('the access token is malformed');
    const key = tokenCacheKey(token);
    const cached = this.cache.get(key);
    oauthTelemetry.introspection(cached ? 'hit' : 'miss');
    const outcome = cached ? cached.outcome : await this.lookup(key, token);
    if (!outcome) throw new InvalidTokenError('the access token is not active');
    // A cached entry never outlives the token, but the clock may have moved past exp since.
    if (outcome.expiresAt <= nowSeconds()) throw new InvalidTokenError('the access token expired');
    return outcome;
  }

  /** Number of cached outcomes (for tests and metrics). */
  get cacheSize(): number {
    return this.cache.size;
  }

  private lookup(key: string, token: string): Promise<Outcome> {
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.introspect(key, token).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private async introspect(key: string, token: string): Promise<Outcome> {
    let response: IntrospectionResponse;
    let issuer: string;
    try {
      ({ issuer } = await this.authServer.discover());
      response = await this.authServer.introspect(token);
    } catch (error) {
      throw unavailable(error);
    }
    const outcome = toClient(response, issuer);
    const { cacheTtlSeconds, negativeCacheTtlSeconds } = this.options.introspection;
    const ttlSeconds = outcome ? Math.min(cacheTtlSeconds, outcome.expiresAt - nowSeconds()) : negativeCacheTtlSeconds;
    if (ttlSeconds > 0) this.cache.set(key, { outcome }, { ttl: ttlSeconds * 1000 });
    return outcome;
  }
}

/** An active answer counts only if it is complete, unexpired and from our issuer. */
function toClient(response: IntrospectionResponse, issuer: string): Outcome {
  if (response.active !== true) return null;
  const { client_id, jti, exp, scope, iss, aud, cnf } = response;
  if (typeof client_id !== 'string' || typeof exp !== 'number' || exp <= nowSeconds()) return null;
  if (iss !== undefined && iss !== issuer) return null;
  const jkt = confirmationThumbprint(cnf);
  if (jkt === null) return null;
  return {
    clientId: client_id,
    scopes: parseScope(typeof scope === 'string' ? scope : undefined),
    tokenId: typeof jti === 'string' ? jti : '',
    validatedBy: 'introspection',
    expiresAt: exp,
    audience: audienceList(aud),
    jkt,
  };
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
