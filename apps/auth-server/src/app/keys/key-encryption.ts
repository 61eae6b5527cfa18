import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** Format tag of a sealed key: `kek1.<kek id>.<iv>.<tag>.<ciphertext>`, base64url parts. */
const VERSION = 'kek1';
const IV_BYTES = 12; // NIST SP 800-38D §8.2: 96-bit IVs, random, never reused under one key
const TAG_BYTES = 16;

interface Kek {
  id: string;
  key: Buffer;
}

/**
 * Signing keys at rest: AES-256-GCM (node:crypto) under a key-encryption key (KEK) from the
 * environment, as ORY Hydra does with its system secret. A database dump alone then cannot mint
 * tokens; it needs the KEK too.
 *
 * - Each sealed value names its KEK by a short id (the first 8 bytes of SHA-256 of the KEK, which
 *   reveals nothing usable about it), so during a rotation old and new KEKs can both be read.
 * - The key's `kid` is the additional authenticated data: a sealed key copied onto another row
 *   does not decrypt there.
 * - A fresh random 96-bit IV per seal; GCM's tag makes any tampering fail loudly.
 *
 * Constructed from `SIGNING_KEY_ENCRYPTION_KEY` (current: seals and opens) and
 * `SIGNING_KEY_ENCRYPTION_KEYS_PREVIOUS` (open only), each 32 bytes base64/base64url.
 */
export class KeyEncryption {
  private readonly current: Kek;
  private readonly byId: Map<string, Kek>;

  constructor(currentKey: string, previousKeys: string[] = []) {
    this.current = toKek(currentKey);
    this.byId = new Map([this.current, ...previousKeys.map(toKek)].map((kek) => [kek.id, kek]));
  }

  /** Seals a PKCS#8 PEM (or any UTF-8 text) for the key `kid`. */
  seal(plaintext: string, kid: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(kid, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      VERSION,
      this.current.id,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      ciphertext.toString('base64url'),
    ].join('.');
  }

  /**
   * Opens a sealed value of the key `kid`. Throws if its KEK is not configured (say which, by id)
   * or if the value was tampered with or belongs to another kid.
   */
  open(sealed: string, kid: string): string {
    const [version, kekId, iv, tag, ciphertext] = sealed.split('.');
    if (version !== VERSION || ciphertext === undefined) throw new Error(`signing key ${kid}: not a sealed key`);
    const kek = this.byId.get(kekId);
    if (!kek) {
      throw new Error(
        `signing key ${kid} is sealed under key-encryption key ${kekId}, which is neither SIGNING_KEY_ENCRYPTION_KEY ` +
          `nor in SIGNING_KEY_ENCRYPTION_KEYS_PREVIOUS`,
      );
    }
    const decipher = createDecipheriv('aes-256-gcm', kek.key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(kid, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new Error(`signing key ${kid}: sealed value does not authenticate (tampered, or sealed for another key)`);
    }
  }

  /** True when the value is sealed under an older KEK (a rotation should re-seal it). */
  isStale(sealed: string): boolean {
    return sealed.split('.')[1] !== this.current.id;
  }

  /** The id of the current KEK, as written into every sealed value. */
  get currentId(): string {
    return this.current.id;
  }
}

function toKek(encoded: string): Kek {
  const key = Buffer.from(encoded, 'base64');
  if (key.length !== 32) throw new Error('a key-encryption key must be 32 bytes');
  return { id: createHash('sha256').update(key).digest().subarray(0, 8).toString('base64url'), key };
}
