import {
  createLocalJWKSet,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  importJWK,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';
import { SIGNING_ALGS, type SigningAlg } from '../keys/signing-algorithms';
import { aClient, aConfig } from '../testing/fixtures';
import { claimedClientId, ClientAssertionError, verifyClientAssertion } from './client-assertion';
import { ClientKeySets } from './client-key-sets';

const ISSUER = 'http://localhost:8085/ms-auth-server';
const TOKEN_ENDPOINT = `${ISSUER}/oauth2/token`;
const CLIENT = 'service-client-pkjwt';
const now = 1_800_000_000;
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('private_key_jwt client assertion checks (RFC 7523 §3)', () => {
  const pairs = new Map<SigningAlg, { privateKey: CryptoKey; publicJwk: JWK }>();

  beforeAll(async () => {
    for (const alg of SIGNING_ALGS) {
      const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
      pairs.set(alg, { privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid: `key-${alg}`, use: 'sig', alg } });
    }
  });

  const pair = (alg: SigningAlg) => {
    const found = pairs.get(alg);
    if (!found) throw new Error(`no ${alg} key pair`);
    return found;
  };
  const registered = (...algs: SigningAlg[]) => createLocalJWKSet({ keys: algs.map((alg) => pair(alg).publicJwk) });
  const claims = (overrides: JWTPayload = {}): JWTPayload => ({
    iss: CLIENT,
    sub: CLIENT,
    aud: ISSUER,
    exp: now + 60,
    iat: now,
    jti: 'jti-1',
    ...overrides,
  });
  const sign = (payload: JWTPayload, alg: SigningAlg = 'ES256', header: Record<string, unknown> = {}) =>
    new SignJWT(payload).setProtectedHeader({ alg, kid: `key-${alg}`, ...header }).sign(pair(alg).privateKey);
  const verify = (assertion: string, keys = registered('ES256')) =>
    verifyClientAssertion(assertion, { clientId: CLIENT, issuer: ISSUER, tokenEndpoint: TOKEN_ENDPOINT, keys, now });
  const refused = async (assertion: Promise<string> | string, reason: RegExp, keys = registered('ES256')) => {
    const error = await verify(await assertion, keys).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientAssertionError);
    expect((error as Error).message).toMatch(reason);
  };

  it.each(SIGNING_ALGS)('accepts an assertion signed %s with a registered key and returns its jti and exp', async (alg) => {
    await expect(verify(await sign(claims(), alg), registered(alg))).resolves.toEqual({ jti: 'jti-1', exp: now + 60 });
  });

  it('accepts alg "Ed25519" (RFC 9864) for a key registered as EdDSA, and the other way round', async () => {
    const { privateKey, publicJwk } = pair('EdDSA');
    const asEdDSA = createLocalJWKSet({ keys: [publicJwk] });
    const ed25519 = await new SignJWT(claims()).setProtectedHeader({ alg: 'Ed25519', kid: 'key-EdDSA' }).sign(privateKey);
    const eddsa = await new SignJWT(claims()).setProtectedHeader({ alg: 'EdDSA', kid: 'key-EdDSA' }).sign(privateKey);
    // Through ClientKeySets, which adds the alias; a bare jose key set does not.
    const keySets = new ClientKeySets(aConfig());
    const via = (jwks: typeof publicJwk) =>
      keySets.for(aClient({ clientId: `c-${Math.random()}`, jwks: { keys: [jwks] } })) as ReturnType<typeof createLocalJWKSet>;
    await expect(verify(ed25519, via(publicJwk))).resolves.toBeDefined();
    await expect(verify(eddsa, via({ ...publicJwk, alg: 'Ed25519' }))).resolves.toBeDefined();
    await expect(verify(ed25519, asEdDSA)).rejects.toThrow(/no registered key/);
  });

  it('accepts the token endpoint URL as aud (legacy), and aud as an array naming the issuer', async () => {
    await expect(verify(await sign(claims({ aud: TOKEN_ENDPOINT })))).resolves.toBeDefined();
    await expect(verify(await sign(claims({ aud: ['https://elsewhere', ISSUER] })))).resolves.toBeDefined();
  });

  it('accepts exp exactly 5 minutes ahead', async () => {
    await expect(verify(await sign(claims({ exp: now + 300 })))).resolves.toBeDefined();
  });

  it('refuses alg "none"', async () => {
    await refused(`${b64({ alg: 'none', kid: 'key-ES256' })}.${b64(claims())}.`, /algorithm not allowed|JWS/);
  });

  it('refuses HS256 with the registered public key as the HMAC secret (algorithm confusion)', async () => {
    const { publicJwk } = pair('RS256');
    const pem = await exportSPKI((await importJWK(publicJwk, 'RS256', { extractable: true })) as CryptoKey);
    for (const secret of [pem, JSON.stringify(publicJwk)]) {
      const forged = await new SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256', kid: 'key-RS256' })
        .sign(new TextEncoder().encode(secret));
      await refused(forged, /algorithm not allowed/, registered('RS256'));
    }
  });

  it('refuses an assertion signed by a key that is not registered', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    await refused(
      new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', kid: 'key-ES256' }).sign(privateKey),
      /signature does not verify/,
    );
    await refused(new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', kid: 'other' }).sign(privateKey), /no registered key/);
  });

  it('refuses an algorithm no registered key is for', async () => {
    await refused(sign(claims(), 'EdDSA'), /no registered key/);
  });

  it('never takes the key from the assertion’s own jwk header', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const forged = await new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', jwk: await exportJWK(publicKey) }).sign(privateKey);
    await refused(forged, /no registered key|signature/);
  });

  it.each([
    ['iss is another client', { iss: 'someone-else' }, /claim iss/],
    ['sub is another client', { sub: 'someone-else' }, /claim sub/],
    ['aud is another server', { aud: 'https://other.example/as' }, /claim aud/],
    ['aud is missing', { aud: undefined }, /claim aud/],
    ['exp is missing', { exp: undefined }, /claim exp/],
    ['exp is past', { exp: now - 60 }, /expired/],
    ['exp is more than 5 minutes ahead', { exp: now + 360 }, /more than 300 s/],
    ['jti is missing', { jti: undefined }, /claim jti/],
    ['jti is not a string', { jti: 42 }, /jti is not a string/],
    ['jti holds a NUL byte', { jti: 'a\u0000b' }, /jti is not a string/],
    ['jti is over-long', { jti: 'x'.repeat(201) }, /jti is not a string/],
    ['iat is in the future', { iat: now + 60 }, /iat/],
    ['nbf is in the future', { nbf: now + 60 }, /claim nbf/],
  ])('refuses an assertion whose %s', async (_what, overrides, reason) => {
    await refused(sign(claims(overrides as JWTPayload)), reason);
  });

  it('refuses an over-long assertion without parsing it', async () => {
    await refused('a'.repeat(9000), /too long/);
  });

  it('claimedClientId reads iss without verifying, and refuses what is not a JWT', async () => {
    expect(claimedClientId(await sign(claims()))).toBe(CLIENT);
    expect(() => claimedClientId('not-a-jwt')).toThrow(ClientAssertionError);
    expect(() => claimedClientId(`${b64({ alg: 'ES256' })}.${b64({ sub: 'x' })}.sig`)).toThrow(/no iss/);
  });
});
