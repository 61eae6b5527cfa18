/**
 * A signing key as stored: the public JWK is published; the private key never leaves the server
 * and is stored sealed (KeyEncryption) — `privateKeyPem` is only ever set on rows written before
 * keys were encrypted at rest, until the server seals them at start.
 */
export interface StoredSigningKey {
  kid: string;
  alg: string;
  /** The public JWK members (kty and n, e / crv, x, y / crv, x) as published in the JWKS. */
  publicJwk: Record<string, string>;
  privateKeyEncrypted: string | null;
  privateKeyPem?: string | null;
}

/**
 * Persistence port of the signing keys: per algorithm one active key, at most one `next`
 * (published, signing from `activates_at`: pre-published rollover), any number retired.
 */
export interface SigningKeyRepository {
  findActive(alg: string): Promise<StoredSigningKey | undefined>;
  findByKid(kid: string): Promise<StoredSigningKey | undefined>;
  /** Every active and next key, and every retired key that still has a token with `exp > now` (seconds), newest first. */
  published(now: number): Promise<Array<Pick<StoredSigningKey, 'kid' | 'alg' | 'publicJwk'>>>;
  /** Inserts `key` as the active key of its algorithm unless one is active already (two processes may race). */
  insertActiveIfNone(key: StoredSigningKey): Promise<void>;
  /**
   * In one transaction: retires the active key of `key.alg` and any waiting `next` key of it (it
   * never signed anything), activates `key`; returns the retired active kid.
   */
  rotateTo(key: StoredSigningKey): Promise<string | undefined>;
  /**
   * Inserts `key` as `next` for its algorithm, activating `afterSeconds` from now by the
   * database's clock; returns the active kid (which signs until then) and that time. Throws if a
   * key of that algorithm is already waiting.
   */
  prepublish(key: StoredSigningKey, afterSeconds: number): Promise<{ current?: string; activatesAt: Date }>;
  /** The active key of `alg` and its waiting one, with the ms until it is due (0 = due now), by the database's clock. */
  activeAndNext(alg: string): Promise<{ active?: StoredSigningKey; next?: { kid: string; msUntilActive: number } }>;
  /** `next` → `active` and `active` → `retired` for every due key, once, whichever server locks it first; the promoted kids. */
  promoteDue(): Promise<string[]>;
  /** How many rows still hold a clear-text private key. */
  countClearText(): Promise<number>;
  /**
   * In one transaction, with every row locked: `reseal(row)` returns the new sealed value for a
   * row that needs one (or undefined to leave it); the clear-text column is nulled. Returns how
   * many rows changed.
   */
  resealAll(reseal: (key: StoredSigningKey) => string | undefined): Promise<number>;
}

export const SIGNING_KEY_REPOSITORY = Symbol('SIGNING_KEY_REPOSITORY');
