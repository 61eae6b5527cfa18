import { Inject, Injectable } from '@nestjs/common';
import { createLocalJWKSet, createRemoteJWKSet, customFetch, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import type { RegisteredClient } from '../clients/client';
import { AUTH_SERVER_CONFIG, type AuthServerConfig } from '../config';
import { jwksUriFetch } from './jwks-uri-fetch';

/** After one fetch of a `jwks_uri`, an unknown `kid` refetches at most this often (ms). */
const JWKS_URI_COOLDOWN_MS = 30_000;
const JWKS_URI_TIMEOUT_MS = 3_000;

/**
 * The keys a private_key_jwt client may sign its assertions with (RFC 7591 `jwks` or
 * `jwks_uri`), as jose key resolvers:
 * - a registered JWK Set is imported once per client and key version (a re-registration bumps
 *   the client's `secret_version`, so a replaced key is never used again);
 * - a `jwks_uri` is fetched through jwksUriFetch (public addresses only unless
 *   JWKS_URI_ALLOW_PRIVATE_ADDRESSES), kept CLIENT_JWKS_CACHE_SECONDS, and refetched on an unknown
 *   `kid` at most every 30 s (jose's cooldown), so a client can roll its keys without re-registering.
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
        cooldownDuration: JWKS_URI_COOLDOWN_MS,
        timeoutDuration: JWKS_URI_TIMEOUT_MS,
        [customFetch]: this.fetch,
      });
    }
    if (resolver) this.resolvers.set(key, resolver);
    return resolver;
  }
}
