/** A signing key as stored: the public JWK is published, the private PEM never leaves the server. */
export interface StoredSigningKey {
  kid: string;
  alg: string;
  /** The public JWK members (kty, n, e) as published in the JWKS. */
  publicJwk: Record<string, string>;
  privateKeyPem: string;
}

/**
 * Persistence port of the signing keys: one active, at most one `next` (published, signing from
 * `activates_at`: pre-published rollover), any number retired.
 */
export interface SigningKeyRepository {
  findActive(): Promise<StoredSigningKey | undefined>;
  findByKid(kid: string): Promise<StoredSigningKey | undefined>;
  /** The active key, the next key, and every retired key that still has a token with `exp > now` (seconds), newest first. */
  published(now: number): Promise<Array<Pick<StoredSigningKey, 'kid' | 'alg' | 'publicJwk'>>>;
  /** Inserts `key` as the active key unless one is active already (two processes may race on an empty database). */
  insertActiveIfNone(key: StoredSigningKey): Promise<void>;
  /**
   * In one transaction: retires the active key and any waiting `next` key (it never signed
   * anything), activates `key`; returns the retired active kid.
   */
  rotateTo(key: StoredSigningKey): Promise<string | undefined>;
  /**
   * Inserts `key` as `next`, activating `afterSeconds` from now by the database's clock; returns
   * the active kid (which signs until then) and that time. Throws if a key is already waiting.
   */
  prepublish(key: StoredSigningKey, afterSeconds: number): Promise<{ current?: string; activatesAt: Date }>;
  /** The active key and the waiting one, with the ms until it is due (0 = due now), by the database's clock. */
  activeAndNext(): Promise<{ active?: StoredSigningKey; next?: { kid: string; msUntilActive: number } }>;
  /** `next` → `active` and `active` → `retired` for every due key, once, whichever server locks it first; the promoted kids. */
  promoteDue(): Promise<string[]>;
}

export const SIGNING_KEY_REPOSITORY = Symbol('SIGNING_KEY_REPOSITORY');
