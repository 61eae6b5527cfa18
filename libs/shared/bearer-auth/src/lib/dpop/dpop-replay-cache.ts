import { LRUCache } from 'lru-cache';

/**
 * RFC 9449 §11.1 replay detection of DPoP proofs: a proof's `jti` may be used once while its
 * `iat` is inside the acceptance window. A port, so a resource server running as several
 * instances can put the state where all of them see it (ms-system: Postgres, ADR 0007).
 */
export interface DpopReplayCache {
  /**
   * Records the proof key; true the first time it is seen, false for a replay.
   * `staleAtSeconds`: Unix seconds after which the proof is refused as stale anyway, so the
   * entry may be forgotten then.
   */
  firstUse(key: string, staleAtSeconds: number): Promise<boolean>;
}

export const DPOP_REPLAY_CACHE = Symbol('DPOP_REPLAY_CACHE');

/**
 * One process's memory: enough for one instance. Bounded (LRU): a flood of proofs evicts the
 * oldest entries first, which are the closest to going stale anyway.
 */
export class InMemoryDpopReplayCache implements DpopReplayCache {
  private readonly seen: LRUCache<string, true>;

  constructor(maxEntries = 100_000) {
    this.seen = new LRUCache({ max: maxEntries });
  }

  async firstUse(key: string, staleAtSeconds: number): Promise<boolean> {
    if (this.seen.has(key)) return false;
    const ttl = Math.max(1, staleAtSeconds * 1000 - Date.now());
    this.seen.set(key, true, { ttl });
    return true;
  }
}
