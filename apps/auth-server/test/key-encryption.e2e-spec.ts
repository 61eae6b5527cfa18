import { randomBytes } from 'node:crypto';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { KeyEncryption } from '../src/app/keys/key-encryption';
import { SigningKeyService } from '../src/app/keys/signing-key.service';
import { call, createTestDatabase, SEEDED, sql, startAuthServer, tokenFor, type TestDatabase } from './support/auth-server';

const kek = () => randomBytes(32).toString('base64');

describe('signing keys sealed at rest under the key-encryption key, and its rotation', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('auth_kek');
  });
  afterAll(async () => {
    await db?.drop();
  });

  const sealedUnder = async () =>
    (await sql<{ sealed: string }>(db, 'SELECT private_key_encrypted AS sealed FROM signing_keys')).map((r) => r.sealed.split('.')[1]);

  it('rotates the KEK: old + new read, re-seal, then the new one alone signs with the same keys; the old one alone no longer starts', async () => {
    const [oldKek, newKek] = [kek(), kek()];
    let server = await startAuthServer(db, { env: { SIGNING_KEY_ENCRYPTION_KEY: oldKek } });
    const before = await tokenFor(server.baseUrl, SEEDED.jwt);
    const kid = decodeProtectedHeader(before).kid;
    await server.close();
    const oldIds = new Set(await sealedUnder());
    expect(oldIds.size).toBe(1);

    // The new KEK alone cannot open keys sealed under the old one: the server refuses to start.
    await expect(startAuthServer(db, { env: { SIGNING_KEY_ENCRYPTION_KEY: newKek } })).rejects.toThrow(
      /sealed under key-encryption key .+, which is neither SIGNING_KEY_ENCRYPTION_KEY nor in SIGNING_KEY_ENCRYPTION_KEYS_PREVIOUS/,
    );

    server = await startAuthServer(db, { env: { SIGNING_KEY_ENCRYPTION_KEY: newKek, SIGNING_KEY_ENCRYPTION_KEYS_PREVIOUS: oldKek } });
    expect(decodeProtectedHeader(await tokenFor(server.baseUrl, SEEDED.jwt)).kid).toBe(kid); // same key, opened with the old KEK
    expect(await server.app.get(SigningKeyService).resealAll()).toBe(4);
    await server.close();
    const newIds = new Set(await sealedUnder());
    expect(newIds.size).toBe(1);
    expect([...newIds][0]).not.toBe([...oldIds][0]);

    server = await startAuthServer(db, { env: { SIGNING_KEY_ENCRYPTION_KEY: newKek } });
    try {
      const after = await tokenFor(server.baseUrl, SEEDED.jwt);
      expect(decodeProtectedHeader(after).kid).toBe(kid);
      const jwks = createLocalJWKSet((await call(`${server.baseUrl}/oauth2/jwks`)).body);
      await expect(jwtVerify(before, jwks)).resolves.toBeDefined();
      await expect(jwtVerify(after, jwks)).resolves.toBeDefined();
    } finally {
      await server.close();
    }
    await expect(startAuthServer(db, { env: { SIGNING_KEY_ENCRYPTION_KEY: oldKek } })).rejects.toThrow(/sealed under key-encryption key/);
  });

  it('seals a clear-text key left by an older version at the next start, and keeps signing with it', async () => {
    await db.drop();
    db = await createTestDatabase('auth_kek_upgrade');
    const current = kek();
    let server = await startAuthServer(db, { env: { SIGNING_KEY_ENCRYPTION_KEY: current } });
    await server.close();
    // What the schema held before keys were encrypted: a clear PKCS#8 PEM.
    const [{ kid, private_key_encrypted: sealed }] = await sql<{ kid: string; private_key_encrypted: string }>(
      db,
      `SELECT kid, private_key_encrypted FROM signing_keys WHERE alg = 'RS256' AND status = 'active'`,
    );
    const pem = new KeyEncryption(current).open(sealed, kid);
    await sql(db, `UPDATE signing_keys SET private_key_pem = $1, private_key_encrypted = NULL WHERE kid = $2`, [pem, kid]);

    server = await startAuthServer(db, { env: { SIGNING_KEY_ENCRYPTION_KEY: current } });
    try {
      expect(decodeProtectedHeader(await tokenFor(server.baseUrl, SEEDED.jwt)).kid).toBe(kid);
      const rows = await sql<{ pem: string | null; sealed: string | null }>(
        db,
        'SELECT private_key_pem AS pem, private_key_encrypted AS sealed FROM signing_keys',
      );
      expect(rows.every((row) => row.pem === null && row.sealed?.startsWith('kek1.'))).toBe(true);
    } finally {
      await server.close();
    }
  });
});
