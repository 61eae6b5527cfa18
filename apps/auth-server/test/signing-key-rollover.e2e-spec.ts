import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { SigningKeyService } from '../src/app/keys/signing-key.service';
import { call, createTestDatabase, SEEDED, startAuthServer, tokenFor, type TestAuthServer, type TestDatabase } from './support/auth-server';

const kids = async (server: TestAuthServer): Promise<string[]> =>
  (await call(`${server.baseUrl}/oauth2/jwks`)).body.keys.map((k: { kid: string }) => k.kid);

/**
 * Issue 10, point 9 (docs/contract.md, "Tokens"): `rotate-signing-key` publishes the new
 * key at once and signs with it only after SIGNING_KEY_PREPUBLISH_SECONDS, on every instance —
 * so a resource server that fetched the JWKS after the rotation never meets an unknown kid.
 */
describe('signing key rollover with a pre-published key, two instances on one database', () => {
  let db: TestDatabase;
  let a: TestAuthServer;
  let b: TestAuthServer;
  const PREPUBLISH_SECONDS = 3;

  beforeAll(async () => {
    db = await createTestDatabase('auth_rollover');
    // Every instance re-reads the keys each second here (30 s by default, far below the 660 s wait).
    const env = { SIGNING_KEY_PREPUBLISH_SECONDS: String(PREPUBLISH_SECONDS), SIGNING_KEY_REFRESH_SECONDS: '1' };
    a = await startAuthServer(db, { env });
    b = await startAuthServer(db, { env });
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  it('publishes at once, keeps signing with the old key until activation, then both instances sign with the new one', async () => {
    const oldKid = decodeProtectedHeader(await tokenFor(b.baseUrl, SEEDED.jwt)).kid;
    const [{ active: newKid, activatesAt }] = await a.app.get(SigningKeyService).rotate({ alg: 'RS256' });
    expect(activatesAt).toBeInstanceOf(Date);

    // Published on both instances at once; a JWKS fetched now verifies every later token.
    expect(await kids(a)).toEqual(expect.arrayContaining([oldKid, newKid]));
    expect(await kids(b)).toEqual(expect.arrayContaining([oldKid, newKid]));
    const jwksFetchedRightAfterRotation = createLocalJWKSet((await call(`${b.baseUrl}/oauth2/jwks`)).body);

    // Before activation: still the old key, on both.
    for (const server of [a, b]) expect(decodeProtectedHeader(await tokenFor(server.baseUrl, SEEDED.jwt)).kid).toBe(oldKid);

    await new Promise((resolve) => setTimeout(resolve, activatesAt!.getTime() - Date.now() + 200));
    const after = [await tokenFor(a.baseUrl, SEEDED.jwt), await tokenFor(b.baseUrl, SEEDED.jwt)];
    for (const token of after) {
      expect(decodeProtectedHeader(token).kid).toBe(newKid);
      await expect(jwtVerify(token, jwksFetchedRightAfterRotation)).resolves.toBeDefined();
    }
    // The old key stays while its tokens live.
    expect(await kids(a)).toEqual(expect.arrayContaining([oldKid, newKid]));
  });

  it('a second rotation while a key is waiting is refused; --now replaces both at once', async () => {
    const service = a.app.get(SigningKeyService);
    const [{ active: waiting }] = await service.rotate({ alg: 'RS256' });
    await expect(service.rotate({ alg: 'RS256' })).rejects.toThrow(/already waiting/);
    const [{ active: now }] = await service.rotate({ alg: 'RS256', now: true });
    expect(decodeProtectedHeader(await tokenFor(a.baseUrl, SEEDED.jwt)).kid).toBe(now);
    expect(await kids(a)).not.toContain(waiting);
  });
});
