import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { DPOP_SIGNING_ALGS } from '@playground/oauth-contracts';
import { specDpopKey, type SpecDpopKey } from '@playground/testing';
import { accessTokenHash, DpopProofError, verifyDpopProof, withoutQueryAndFragment } from './dpop-proof';

describe('verifyDpopProof (RFC 9449 §4.3), one check at a time', () => {
  const htu = 'http://localhost:8091/ms-system/country/code/AUS';
  const accessToken = 'the-access-token';
  let key: SpecDpopKey;
  beforeAll(async () => (key = await specDpopKey()));

  const expectation = (extra = {}) => ({ htm: 'GET', htu, algorithms: DPOP_SIGNING_ALGS, accessToken, ...extra });
  const refused = async (proof: Promise<string> | string, extra = {}, failure = 'proof') => {
    const error = await verifyDpopProof(await proof, expectation({ jkt: key.jkt, ...extra })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DpopProofError);
    expect((error as DpopProofError).failure).toBe(failure);
    return error as DpopProofError;
  };

  it('accepts a good proof and answers the RFC 7638 thumbprint, jti and iat', async () => {
    const proof = await key.proof({ htm: 'GET', htu, accessToken });
    await expect(verifyDpopProof(proof, expectation({ jkt: key.jkt }))).resolves.toMatchObject({ jkt: key.jkt, jti: expect.any(String) });
  });

  it('accepts every announced algorithm (ES256, EdDSA, PS256, RS256)', async () => {
    for (const alg of DPOP_SIGNING_ALGS) {
      const other = await specDpopKey(alg);
      await expect(
        verifyDpopProof(await other.proof({ htm: 'GET', htu, accessToken }), expectation({ jkt: other.jkt })),
      ).resolves.toBeDefined();
    }
  });

  it('§4.3 step 4: typ must be dpop+jwt', async () => {
    await refused(key.proof({ htm: 'GET', htu, accessToken }, { typ: 'JWT' }));
  });

  it('§4.3 step 5: an algorithm not announced is refused (ES384 here), and so are none and HMAC', async () => {
    const es384 = await specDpopKey('ES384');
    await refused(es384.proof({ htm: 'GET', htu, accessToken }), { jkt: es384.jkt });
    const none = `${Buffer.from(JSON.stringify({ typ: 'dpop+jwt', alg: 'none', jwk: key.publicJwk })).toString('base64url')}.${Buffer.from(
      JSON.stringify({ htm: 'GET', htu, iat: Math.floor(Date.now() / 1000), jti: 'x', ath: accessTokenHash(accessToken) }),
    ).toString('base64url')}.`;
    await refused(none);
    const hmac = await new SignJWT({ htm: 'GET', htu, jti: 'x', iat: Math.floor(Date.now() / 1000) })
      .setProtectedHeader({ typ: 'dpop+jwt', alg: 'HS256', jwk: { kty: 'oct', k: 'c2VjcmV0' } as never })
      .sign(new TextEncoder().encode('secret'));
    await refused(hmac);
  });

  it('§4.3 step 6: a jwk with private members is refused', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const privateJwk = await exportJWK(privateKey);
    const proof = await new SignJWT({ htm: 'GET', htu, jti: 'x', iat: Math.floor(Date.now() / 1000), ath: accessTokenHash(accessToken) })
      .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: privateJwk })
      .sign(privateKey);
    await refused(proof);
  });

  it('§4.3 step 7: a signature by another key than the jwk header is refused', async () => {
    const other = await specDpopKey();
    await refused(other.proof({ htm: 'GET', htu, accessToken }, { jwk: key.publicJwk }));
  });

  it('§4.3 step 8: htm must be the request method', async () => {
    expect((await refused(key.proof({ htm: 'POST', htu, accessToken }))).description).toBe('the DPoP proof is for another method');
  });

  it('§4.3 step 9: htu must be the request URL, query and fragment ignored', async () => {
    expect(
      (await refused(key.proof({ htm: 'GET', htu: 'http://localhost:8091/ms-system/country/code/FRA', accessToken }))).description,
    ).toBe('the DPoP proof is for another URL');
    const withQuery = await key.proof({ htm: 'GET', htu: `${htu}?x=1#f`, accessToken });
    await expect(verifyDpopProof(withQuery, expectation({ htu: `${htu}?page=2` }))).resolves.toBeDefined();
    expect(withoutQueryAndFragment('HTTP://LOCALHOST:80/a/./b?q#f')).toBe('http://localhost/a/b');
  });

  it('§4.3 step 11: iat at most 60 s in the past and 10 s in the future', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await refused(key.proof({ htm: 'GET', htu, accessToken, iat: now - 61 }))).description).toBe(
      'the DPoP proof is stale or from the future',
    );
    await refused(key.proof({ htm: 'GET', htu, accessToken, iat: now + 11 }));
    await expect(verifyDpopProof(await key.proof({ htm: 'GET', htu, accessToken, iat: now - 59 }), expectation())).resolves.toBeDefined();
  });

  it('§4.3 step 10: ath must be the SHA-256 of the presented access token', async () => {
    expect((await refused(key.proof({ htm: 'GET', htu, accessToken: 'another-token' }))).description).toBe(
      'the DPoP proof is for another access token',
    );
    await refused(key.proof({ htm: 'GET', htu }));
  });

  it('§4.3 step 12: the proof key must be the key the token is bound to (failure "binding")', async () => {
    const other = await specDpopKey();
    await refused(other.proof({ htm: 'GET', htu, accessToken }), {}, 'binding');
  });

  it('a proof without jti is refused', async () => {
    await refused(key.proof({ htm: 'GET', htu, accessToken, jti: undefined }));
  });
});
