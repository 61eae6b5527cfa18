import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { AUTH_SERVER_CONFIG, type AuthServerConfig } from '../config';
import type { RegisteredClient } from '../clients/client';
import { CACHE_EVENTS, type CacheEvents } from '../cache-events/cache-events.port';

interface VerifiedSecret {
  clientId: string;
  /** The `secret_version` the secret was verified against. */
  secretVersion: number;
  /** The cache key again, compared in constant time on every hit. */
  key: Buffer;
  /**
   * The client as it was read when the secret was verified (never its secret or hash). Served by
   * `verifiedClient()` to callers that confirm it in the same statement that uses it.
   */
  client?: RegisteredClient;
}

/**
 * Remembers, for a short TTL, that a (client_id, secret) pair passed the argon2id check, so a
 * busy client does not pay ~29 ms per token request. See
 * docs/adr/0001-client-secret-verification-cache.md for why this is safe:
 *
 * - The key is HMAC-SHA256(per-process random key, client_id ":" secret): neither the secret nor
 *   an offline-attackable hash of it is kept in memory, and the key dies with the process.
 * - Only successes are cached, so a wrong secret always pays for the full argon2id check.
 * - An entry counts only while the client's `secret_version` (re-read from Postgres on every
 *   request) still equals the one it was verified against and the client is enabled: a rotation
 *   or a disable — even by the CLI in another process — voids it at once. The TTL bounds what
 *   remains in memory, not how long an old secret works.
 * - Hot paths (token issue, introspection) may skip even the client read: `verifiedClient()`
 *   returns the client snapshot taken at verification, and the statement that then writes the
 *   token or reads the introspected one also checks `enabled AND secret_version = <snapshot>` in
 *   the same SQL statement. If that check fails the caller forgets the entry and authenticates
 *   again from Postgres, so a rotation or disable still takes effect at once (ADR 0006).
 */
/**
 * How long a (client_id, secret) pair that once verified is still recognised as not a guess,
 * after its cache entry lapsed (see `verifiedBefore`): a day, bounded by the LRU's size.
 */
const KNOWN_GOOD_TTL_MS = 24 * 60 * 60 * 1000;

@Injectable()
export class SecretVerificationCache {
  private readonly hmacKey = randomBytes(32);
  private readonly cache: LRUCache<string, VerifiedSecret>;
  /**
   * Keys of pairs that verified in this process, kept far longer than `cache`. Not proof of
   * anything (a hit still pays the full argon2id check against the current hash): only that
   * these credentials are not a guess, so the failed-authentication throttle need not hold them
   * back (ADR 0007). Without it, a flood of guesses under a client's id blocked the client itself
   * whenever its cache entry lapsed during the flood.
   */
  private readonly knownGood: LRUCache<string, { clientId: string; key: Buffer }>;

  private readonly ttlMs: number;

  constructor(@Inject(AUTH_SERVER_CONFIG) config: AuthServerConfig, @Optional() @Inject(CACHE_EVENTS) events?: CacheEvents) {
    this.ttlMs = config.SECRET_CACHE_TTL_SECONDS * 1000;
    this.cache = new LRUCache({ max: config.SECRET_CACHE_MAX_ENTRIES, ttl: this.ttlMs });
    this.knownGood = new LRUCache({ max: config.SECRET_CACHE_MAX_ENTRIES, ttl: KNOWN_GOOD_TTL_MS });
    // A rotation or disable in another process drops that client's entries here at once (ADR
    // 0011); correctness never depended on it (the version check above), memory hygiene does.
    events?.subscribe((event) => {
      if (event.kind === 'client') this.forget(event.clientId);
      else if (event.kind === 'all') this.cache.clear();
    });
  }

  /** True if this exact secret was verified for this client at this secret version. */
  isVerified(clientId: string, secret: string, secretVersion: number): boolean {
    const key = this.keyFor(clientId, secret);
    const entry = this.cache.get(key.toString('base64'));
    return entry !== undefined && entry.clientId === clientId && entry.secretVersion === secretVersion && timingSafeEqual(entry.key, key);
  }

  /**
   * The client snapshot of a verified (client_id, secret) pair, or undefined. The caller must
   * confirm `enabled` and `secret_version` against Postgres in the statement that uses it.
   */
  verifiedClient(clientId: string, secret: string): RegisteredClient | undefined {
    const key = this.keyFor(clientId, secret);
    const entry = this.cache.get(key.toString('base64'));
    if (entry?.client === undefined || entry.clientId !== clientId || !timingSafeEqual(entry.key, key)) return undefined;
    return entry.client.secretVersion === entry.secretVersion ? entry.client : undefined;
  }

  /**
   * `untilMs` (epoch ms) caps the entry's life below the TTL: a secret that is valid only until
   * a deadline (the previous secret during a `rotate-secret --grace`) must not outlive it here.
   */
  remember(clientId: string, secret: string, secretVersion: number, client?: RegisteredClient, untilMs?: number): void {
    const key = this.keyFor(clientId, secret);
    // Each map's own TTL, or less when the secret is valid only until `untilMs`.
    const until = (ttlMs: number) => (untilMs === undefined ? undefined : { ttl: Math.max(1, Math.min(ttlMs, untilMs - Date.now())) });
    this.cache.set(key.toString('base64'), { clientId, secretVersion, key, client }, until(this.ttlMs));
    this.knownGood.set(key.toString('base64'), { clientId, key }, until(KNOWN_GOOD_TTL_MS));
  }

  /**
   * True if this exact pair verified in this process within the last day (and the client has not
   * been rotated or disabled since, which `forget` would have recorded). The caller still checks
   * the secret in full; this only says the attempt is not a guess.
   */
  verifiedBefore(clientId: string, secret: string): boolean {
    const key = this.keyFor(clientId, secret);
    const entry = this.knownGood.get(key.toString('base64'));
    return entry !== undefined && entry.clientId === clientId && timingSafeEqual(entry.key, key);
  }

  /** Drops every entry of a client (its secret was rotated or it was disabled in this process). */
  forget(clientId: string): void {
    for (const [key, entry] of this.cache.entries()) {
      if (entry.clientId === clientId) this.cache.delete(key);
    }
    for (const [key, entry] of this.knownGood.entries()) {
      if (entry.clientId === clientId) this.knownGood.delete(key);
    }
  }

  get size(): number {
    return this.cache.size;
  }

  private keyFor(clientId: string, secret: string): Buffer {
    return createHmac('sha256', this.hmacKey).update(`${clientId}:${secret}`, 'utf8').digest();
  }
}
