/** A signing key as stored: the public JWK is published, the private PEM never leaves the server. */
export interface StoredSigningKey {
  kid: string;
  alg: string;
  /** The public JWK members (kty, n, e) as published in the JWKS. */
  publicJwk: Record<string, string>;
  privateKeyPem: string;
}

/** Persistence port of the signing keys (one active, any number retired). */
export interface SigningKeyRepository {
  findActive(): Promise<StoredSigningKey | undefined>;
  findByKid(kid: string): Promise<StoredSigningKey | undefined>;
  /** The active key and every retired key that still has a token with `exp > now` (seconds), newest first. */
  published(now: number): Promise<Array<Pick<StoredSigningKey, 'kid' | 'alg' | 'publicJwk'>>>;
  /** Inserts `key` as the active key unless one is active already (two processes may race on an empty database). */
  insertActiveIfNone(key: StoredSigningKey): Promise<void>;
  /** In one transaction: retires the active key, activates `key`; returns the retired kid. */
  rotateTo(key: StoredSigningKey): Promise<string | undefined>;
}

export const SIGNING_KEY_REPOSITORY = Symbol('SIGNING_KEY_REPOSITORY');
