import { Inject, Injectable } from '@nestjs/common';
import { createLocalJWKSet, createRemoteJWKSet, customFetch, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import type { RegisteredClient } from '../clients/client';
import { AUTH_SERVER_CONFIG, type AuthServerConfig } from '../config';
import { jwksUriFetch } from './jwks-uri-fetch';

const JWKS_URI_TIMEOUT_MS = 3_000;

/**
 * The keys a private_key_jwt client may sign its assertions with (RFC 7591 `jwks` or
 * `jwks_uri`), as jose key resolvers:
 * - a registered JWK Set is imported once per client and key version (a re-registration bumps
 *   the client's `secret_version`, so a replaced key is never used again);
 * - a `jwks_uri` is fetched through jwksUriFetch (public addresses only unless
 *   JWKS_URI_ALLOW_PRIVATE_ADDRESSES), kept CLIENT_JWKS_CACHE_SECONDS, and refetched on an unknown
 *   `kid` at most every CLIENT_JWKS_REFETCH_COOLDOWN_SECONDS (jose's cooldown), so a client can roll its keys without re-registering.
 */
@Injectable()
export class ClientKeySets {
  private readonly resolvers = new LRUCache<string, JWTVerifyGetKey>({ max: 1_000 });
  private readonly fetch: ReturnType<typeof jwksUriFetch>;

  constructor(@Inject(AUTH_SERVER_CONFIG) private readonly config: AuthServerConfig) {
    this.fetch = jwksUriFetch(config.JWKS_URI_ALLOW_PRIVATE_ADDRESSES);
  }

  /** The client's key resolver, or undefined when it registered no keys. */
  for(client: RegisteredClient): JWTVerifyGetKey | undefined {
    const key = `${client.clientId}\u0000${client.secretVersion}\u0000${client.jwksUri ?? ''}`;
    const cached = this.resolvers.get(key);
    if (cached) return cached;
    let resolver: JWTVerifyGetKey | undefined;
    if (client.jwks) {
      resolver = createLocalJWKSet(client.jwks as JSONWebKeySet);
    } else if (client.jwksUri) {
      resolver = createRemoteJWKSet(new URL(client.jwksUri), {
        cacheMaxAge: this.config.CLIENT_JWKS_CACHE_SECONDS * 1000,
        cooldownDuration: this.config.CLIENT_JWKS_REFETCH_COOLDOWN_SECONDS * 1000,
        timeoutDuration: JWKS_URI_TIMEOUT_MS,
        [customFetch]: this.fetch,
      });
    }
    if (!resolver) return undefined;
    const aliased = withEd25519Alias(resolver);
    this.resolvers.set(key, aliased);
    return aliased;
  }
}

/**
 * `EdDSA` (RFC 8037) and `Ed25519` (RFC 9864, its fully-specified successor) name one algorithm
 * for an Ed25519 key, but jose only picks a JWK whose `alg` equals the header's. A key registered
 * as one is therefore also found for the other.
 */
function withEd25519Alias(resolver: JWTVerifyGetKey): JWTVerifyGetKey {
  const other: Record<string, string> = { EdDSA: 'Ed25519', Ed25519: 'EdDSA' };
  return async (header, token) => {
    try {
      return await resolver(header, token);
    } catch (error) {
      const alias = header.alg ? other[header.alg] : undefined;
      if (!alias || !(error instanceof errors.JWKSNoMatchingKey)) throw error;
      return resolver({ ...header, alg: alias }, { ...token, header: token.header && { ...token.header, alg: alias } });
    }
  };
}
