import { Inject, Injectable } from '@nestjs/common';
import { createRemoteJWKSet, customFetch, errors, jwtVerify, type JWTPayload } from 'jose';
import { LRUCache } from 'lru-cache';
import { type AuthenticatedClient, BearerError, InvalidTokenError, parseScope } from '@playground/oauth-contracts';
import { BEARER_AUTH_OPTIONS, type ResolvedBearerAuthOptions } from '../bearer-auth.options';
import { AuthorizationServerClient, AuthServerUnavailableError } from '../metadata/authorization-server.client';
import { isWellFormedToken, tokenCacheKey, type TokenVerifier } from './token-verifier';
import { oauthTelemetry } from '@playground/telemetry';

type KeySource = ReturnType<typeof createRemoteJWKSet>;

/**
 * Local verification of RFC 9068 JWT access tokens against the authorization server's JWKS.
 *
 * Security decisions, each closing a known forgery:
 * - `algorithms`: exactly those the authorization server's metadata announces
 *   (`access_token_signing_alg_values_supported`: RS256, PS256, ES256, EdDSA here), asymmetric
 *   ones only whatever it says, RS256 if it says nothing: `alg: none` and
 *   HS256-signed-with-the-public-key are refused before any key is looked at.
 * - Keys come only from the JWKS at the discovered `jwks_uri`. The token's own `jwk`, `jku`,
 *   `x5u` and `x5c` headers are never consulted (jose only uses them with `EmbeddedJWK`,
 *   which is not used here), so an attacker cannot bring their own key.
 * - `typ` must be `at+jwt` (RFC 9068 §4): an ID token or other JWT from the same issuer is not an
 *   access token.
 * - `iss` must equal the issuer; `exp`/`nbf` are checked with a small leeway for clock skew.
 * - JWKS: cached (jose keeps the set until `jwksMaxAgeSeconds`); an unknown `kid` triggers a
 *   refetch, at most once per `jwksCooldownSeconds`, so garbage kids cannot hammer the server.
 *
 * `aud` and `cnf.jkt` are returned, not checked here: the guard's audience check (RFC 8707) and
 * the DPoP proof verifier (RFC 9449) judge them, the same way for every validation mode.
 *
 * Verified tokens are remembered (keyed by SHA-256 of the whole token, signature included, so
 * only the identical bytes hit) for at most `verifiedCacheTtlSeconds` and never past `exp`: an
 * RS256 check through WebCrypto costs far more than the rest of a request. Revocation is checked
 * by the caller on every request, cached or not. A remembered token skips the shape checks too
 * (`remembered`): the same bytes passed them when they were verified.
 */
@Injectable()
export class JwtTokenVerifier implements TokenVerifier {
  private keys?: { uri: string; source: KeySource };
  private readonly verified: LRUCache<string, AuthenticatedClient>;

  constructor(
    @Inject(BEARER_AUTH_OPTIONS) private readonly options: ResolvedBearerAuthOptions,
    private readonly authServer: AuthorizationServerClient,
  ) {
    this.verified = new LRUCache({ max: options.jwt.verifiedCacheMaxEntries });
  }

  /** @throws BearerError 401 `invalid_token` (malformed, forged, expired, or the keys unreachable) */
  async verify(token: string): Promise<AuthenticatedClient> {
    const remembered = this.remembered(token);
    if (remembered) return remembered;
    if (!isWellFormedToken(token, this.options.maxTokenLength)) throw new InvalidTokenError('the access token is malformed');
    const client = await this.verifySignatureAndClaims(token);
    const ttlSeconds = Math.min(this.options.jwt.verifiedCacheTtlSeconds, client.expiresAt - Math.floor(Date.now() / 1000));
    if (ttlSeconds > 0) this.verified.set(tokenCacheKey(token), client, { ttl: ttlSeconds * 1000 });
    return client;
  }

  /**
   * The client of a JWT this verifier accepted before (the identical bytes), while it is within
   * the cache's TTL and its `exp` (plus the clock leeway); otherwise undefined. Cheap: one
   * SHA-256 and a map lookup, no parsing; a token without a dot is never a JWS and costs nothing.
   */
  remembered(token: string): AuthenticatedClient | undefined {
    if (token.length > this.options.maxTokenLength || !token.includes('.')) return undefined;
    const cached = this.verified.get(tokenCacheKey(token));
    return cached && cached.expiresAt + this.options.jwt.clockToleranceSeconds > Date.now() / 1000 ? cached : undefined;
  }

  private async verifySignatureAndClaims(token: string): Promise<AuthenticatedClient> {
    let issuer: string;
    let algorithms: string[];
    let keys: KeySource;
    try {
      ({ issuer, accessTokenAlgs: algorithms } = await this.authServer.discover());
      keys = await this.keySource();
    } catch (error) {
      throw unavailable(error);
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        algorithms,
        typ: 'at+jwt',
        issuer,
        clockTolerance: this.options.jwt.clockToleranceSeconds,
        requiredClaims: ['exp', 'iat', 'jti', 'client_id'],
      }));
    } catch (error) {
      throw this.toBearerError(error);
    }
    const {
      client_id: clientId,
      jti,
      exp,
      scope,
      aud,
      cnf,
    } = payload as JWTPayload & { client_id?: unknown; scope?: unknown; cnf?: unknown };
    const jkt = confirmationThumbprint(cnf);
    if (
      typeof clientId !== 'string' ||
      typeof jti !== 'string' ||
      typeof exp !== 'number' ||
      (scope !== undefined && typeof scope !== 'string') ||
      jkt === null
    ) {
      throw new InvalidTokenError('the access token is invalid', { reason: 'JWT claims have unexpected types' });
    }
    return {
      clientId,
      scopes: parseScope(scope as string | undefined),
      tokenId: jti,
      validatedBy: 'jwt',
      expiresAt: exp,
      audience: audienceList(aud),
      jkt,
    };
  }

  private async keySource(): Promise<KeySource> {
    const { jwksUri } = await this.authServer.discover();
    if (this.keys?.uri !== jwksUri) {
      const { jwt, httpTimeoutMs } = this.options;
      this.keys = {
        uri: jwksUri,
        source: createRemoteJWKSet(new URL(jwksUri), {
          timeoutDuration: httpTimeoutMs,
          cooldownDuration: jwt.jwksCooldownSeconds * 1000,
          cacheMaxAge: jwt.jwksMaxAgeSeconds * 1000,
          // Counted for /metrics; the request itself is traced like any fetch.
          [customFetch]: (...args: Parameters<typeof fetch>) => (oauthTelemetry.jwksFetched(), fetch(...args)),
        }),
      };
    }
    return this.keys.source;
  }

  private toBearerError(error: unknown): BearerError {
    if (error instanceof errors.JWTExpired) return new InvalidTokenError('the access token expired', { reason: error.message });
    if (error instanceof errors.JWKSTimeout || (error instanceof errors.JOSEError && error.code === 'ERR_JOSE_GENERIC')) {
      return unavailable(error);
    }
    if (error instanceof errors.JOSEError)
      return new InvalidTokenError('the access token is invalid', { reason: `${error.code}: ${error.message}` });
    // fetch failures of the JWKS surface as plain errors (TypeError, AbortError).
    return unavailable(error);
  }
}

/**
 * The authorization server (metadata or JWKS) cannot be reached. The request gets 401
 * `invalid_token` — like Spring Security's resource server — rather than a 500: the token could
 * not be validated, so it is not accepted (ADR 0003).
 */
export function unavailable(error: unknown): BearerError {
  const reason =
    error instanceof AuthServerUnavailableError ? error.message : `authorization server unreachable: ${(error as Error)?.message}`;
  return new InvalidTokenError('the access token could not be validated', { reason });
}

/** `aud` as an array (RFC 7519 §4.1.3 allows a string for one audience). */
export function audienceList(aud: unknown): string[] {
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
}

/**
 * RFC 9449 §6: the `cnf.jkt` of a DPoP-bound token; undefined for a bearer token; null when `cnf`
 * is present but unusable (a token bound to something this server cannot check is refused).
 */
export function confirmationThumbprint(cnf: unknown): string | undefined | null {
  if (cnf === undefined) return undefined;
  const jkt = typeof cnf === 'object' && cnf !== null ? (cnf as { jkt?: unknown }).jkt : undefined;
  return typeof jkt === 'string' && jkt.length > 0 ? jkt : null;
}
