import { randomBytes } from 'node:crypto';
import { KeyEncryption } from './key-encryption';

const aKek = () => randomBytes(32).toString('base64url');
const PEM = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIH…\n-----END PRIVATE KEY-----\n';

describe('KeyEncryption (signing keys sealed at rest, AES-256-GCM)', () => {
  it('seals and opens a key; the sealed value does not contain it', () => {
    const kek = new KeyEncryption(aKek());
    const sealed = kek.seal(PEM, 'kid-1');
    expect(sealed).toMatch(/^kek1\.[A-Za-z0-9_-]{11}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('PRIVATE KEY');
    expect(kek.open(sealed, 'kid-1')).toBe(PEM);
  });

  it('uses a fresh IV every time: the same key seals to different values', () => {
    const kek = new KeyEncryption(aKek());
    expect(kek.seal(PEM, 'k')).not.toBe(kek.seal(PEM, 'k'));
  });

  it('refuses a value copied onto another kid (the kid is authenticated data)', () => {
    const kek = new KeyEncryption(aKek());
    expect(() => kek.open(kek.seal(PEM, 'kid-1'), 'kid-2')).toThrow(/does not authenticate/);
  });

  it('refuses a tampered ciphertext', () => {
    const kek = new KeyEncryption(aKek());
    const parts = kek.seal(PEM, 'k').split('.');
    const ciphertext = Buffer.from(parts[4], 'base64url');
    ciphertext[0] ^= 1;
    parts[4] = ciphertext.toString('base64url');
    expect(() => kek.open(parts.join('.'), 'k')).toThrow(/does not authenticate/);
  });

  it('opens values sealed under a previous KEK during a rotation, and calls them stale', () => {
    const old = aKek();
    const sealed = new KeyEncryption(old).seal(PEM, 'k');
    const rotated = new KeyEncryption(aKek(), [old]);
    expect(rotated.open(sealed, 'k')).toBe(PEM);
    expect(rotated.isStale(sealed)).toBe(true);
    expect(rotated.isStale(rotated.seal(PEM, 'k'))).toBe(false);
  });

  it('names the missing KEK by id (never the key) when it is not configured', () => {
    const old = aKek();
    const sealed = new KeyEncryption(old).seal(PEM, 'k');
    const other = new KeyEncryption(aKek());
    expect(() => other.open(sealed, 'k')).toThrow(/sealed under key-encryption key [A-Za-z0-9_-]{11}, which is neither/);
    try {
      other.open(sealed, 'k');
    } catch (error) {
      expect((error as Error).message).not.toContain(old);
    }
  });

  it('accepts base64 and base64url spellings of the same KEK', () => {
    const raw = randomBytes(32);
    const sealed = new KeyEncryption(raw.toString('base64')).seal(PEM, 'k');
    expect(new KeyEncryption(raw.toString('base64url')).open(sealed, 'k')).toBe(PEM);
  });
});
