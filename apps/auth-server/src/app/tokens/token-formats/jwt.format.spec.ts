import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import { generateSigningKeyPair, publicJwkOf, SIGNING_ALGS, type SigningAlg } from '../../keys/signing-algorithms';
import type { SigningKeyService } from '../../keys/signing-key.service';
import { aClient, aConfig } from '../../testing/fixtures';
import { JwtTokenFormat } from './jwt.format';

describe('JWT token format (RFC 9068)', () => {
  const pairs = new Map<SigningAlg, { publicKey: KeyObject; privateKey: KeyObject }>();
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  pairs.set('RS256', { publicKey, privateKey });
  const keys = {
    activeKey: async (alg: SigningAlg = 'RS256') => ({ kid: `kid-${alg}`, alg, privateKey: pairs.get(alg)?.privateKey }),
    publicKey: async (kid: string) => {
      const alg = kid.replace('kid-', '') as SigningAlg;
      const pair = pairs.get(alg);
      return pair ? { key: pair.publicKey, alg } : undefined;
    },
  };
  const config = aConfig();
  const format = new JwtTokenFormat(keys as unknown as SigningKeyService, config);
  const now = Math.floor(Date.now() / 1000);
  const context = {
    client: aClient({ clientId: 'service-client-jwt', tokenFormat: 'jwt' }),
    scope: 'country.read customer.read',
    jti: 'jti-1',
    iat: now,
    exp: now + 300,
  };

  beforeAll(async () => {
    for (const alg of SIGNING_ALGS) if (!pairs.has(alg)) pairs.set(alg, await generateSigningKeyPair(alg));
  });

  it('signs RS256 by default with header typ at+jwt and kid, and exactly the RFC 9068 claims', async () => {
    const { accessToken, record } = await format.generate(context);
    expect(decodeProtectedHeader(accessToken)).toEqual({ alg: 'RS256', typ: 'at+jwt', kid: 'kid-RS256' });
    const { payload } = await jwtVerify(accessToken, publicKey, { typ: 'at+jwt' });
    expect(payload).toEqual({
      iss: 'http://localhost:8085/ms-auth-server',
      sub: 'service-client-jwt',
      aud: 'service-client-jwt',
      exp: now + 300,
      iat: now,
      nbf: now,
      jti: 'jti-1',
      client_id: 'service-client-jwt',
      scope: 'country.read customer.read',
    });
    expect(record).toEqual({ jti: 'jti-1', format: 'jwt', tokenHash: null, kid: 'kid-RS256', audience: null, cnfJkt: null });
  });

  it('RFC 8707: aud is the one resource as a string, several as an array; RFC 9449: a bound token carries cnf.jkt', async () => {
    const one = await format.generate({ ...context, audience: ['http://localhost:8091/ms-system'], jkt: 'thumb' });
    const { payload } = await jwtVerify(one.accessToken, publicKey);
    expect(payload).toMatchObject({ aud: 'http://localhost:8091/ms-system', cnf: { jkt: 'thumb' } });
    expect(one.record).toMatchObject({ audience: ['http://localhost:8091/ms-system'], cnfJkt: 'thumb' });
    const two = await format.generate({ ...context, audience: ['urn:a', 'urn:b'] });
    expect((await jwtVerify(two.accessToken, publicKey)).payload).toMatchObject({ aud: ['urn:a', 'urn:b'] });
    expect((await jwtVerify(two.accessToken, publicKey)).payload.cnf).toBeUndefined();
  });

  it.each(SIGNING_ALGS)('signs with the client’s algorithm %s, verifiable with its public key, and identifies it', async (alg) => {
    const { accessToken, record } = await format.generate({ ...context, client: aClient({ tokenFormat: 'jwt', tokenSigningAlg: alg }) });
    expect(decodeProtectedHeader(accessToken)).toEqual({ alg, typ: 'at+jwt', kid: `kid-${alg}` });
    const pair = pairs.get(alg);
    if (!pair) throw new Error(`no ${alg} key pair`);
    await expect(jwtVerify(accessToken, pair.publicKey, { algorithms: [alg] })).resolves.toBeDefined();
    expect(record.kid).toBe(`kid-${alg}`);
    await expect(format.identify(accessToken)).resolves.toEqual({ jti: 'jti-1' });
  });

  it('identifies its own JWTs by jti', async () => {
    const { accessToken } = await format.generate(context);
    await expect(format.identify(accessToken)).resolves.toEqual({ jti: 'jti-1' });
  });

  it('does not identify an expired JWT', async () => {
    const { accessToken } = await format.generate({ ...context, iat: now - 600, exp: now - 300 });
    await expect(format.identify(accessToken)).resolves.toBeUndefined();
  });

  it.each([
    [
      'alg none',
      async () =>
        `${Buffer.from('{"alg":"none","typ":"at+jwt","kid":"kid-RS256"}').toString('base64url')}.${Buffer.from('{"jti":"x"}').toString('base64url')}.`,
    ],
    [
      'a foreign key',
      async () => {
        const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
        return new SignJWT({ jti: 'x' })
          .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'kid-RS256' })
          .setIssuer(config.ISSUER)
          .sign(other);
      },
    ],
    [
      'a plain JWT typ',
      async () =>
        new SignJWT({ jti: 'x' })
          .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'kid-RS256' })
          .setIssuer(config.ISSUER)
          .sign(privateKey),
    ],
    [
      'another issuer',
      async () =>
        new SignJWT({ jti: 'x' })
          .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'kid-RS256' })
          .setIssuer('http://evil')
          .sign(privateKey),
    ],
    [
      'an unknown kid',
      async () =>
        new SignJWT({ jti: 'x' })
          .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'nope' })
          .setIssuer(config.ISSUER)
          .sign(privateKey),
    ],
    [
      'its RS256 key relabelled PS256',
      async () =>
        new SignJWT({ jti: 'x' })
          .setProtectedHeader({ alg: 'PS256', typ: 'at+jwt', kid: 'kid-RS256' })
          .setIssuer(config.ISSUER)
          .sign(privateKey),
    ],
    [
      'HS256 with the public key as secret',
      async () =>
        new SignJWT({ jti: 'x' })
          .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: 'kid-RS256' })
          .setIssuer(config.ISSUER)
          .sign(Buffer.from(publicKey.export({ format: 'pem', type: 'spki' }))),
    ],
    ['an opaque token', async () => 'A'.repeat(43)],
  ])('does not identify %s', async (_what, make) => {
    await expect(format.identify(await make())).resolves.toBeUndefined();
  });
});

describe('public JWKs per key type (RFC 7518 §6, RFC 8037 §2)', () => {
  it.each([
    ['RS256', 'RSA', ['e', 'kty', 'n']],
    ['PS256', 'RSA', ['e', 'kty', 'n']],
    ['ES256', 'EC', ['crv', 'kty', 'x', 'y']],
    ['EdDSA', 'OKP', ['crv', 'kty', 'x']],
  ] as const)('%s keys publish kty %s with exactly the public members %j', async (alg, kty, members) => {
    const { privateKey } = await generateSigningKeyPair(alg);
    // Built from the private key on purpose: whatever it holds, only public members come out.
    const jwk = publicJwkOf(privateKey);
    expect(jwk['kty']).toBe(kty);
    expect(Object.keys(jwk).sort()).toEqual([...members]);
    if (alg === 'ES256') expect(jwk['crv']).toBe('P-256');
    if (alg === 'EdDSA') expect(jwk['crv']).toBe('Ed25519');
  });
});
