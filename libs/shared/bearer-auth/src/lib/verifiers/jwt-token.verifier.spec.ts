import { exportJWK, exportSPKI, generateKeyPair, importJWK, SignJWT, type CryptoKey } from 'jose';
import { BearerError } from '@playground/oauth-contracts';
import { startFakeAuthServer, type FakeAuthServer } from '@playground/testing';
import { resolveOptions } from '../bearer-auth.options';
import { AuthorizationServerClient } from '../metadata/authorization-server.client';
import { JwtTokenVerifier } from './jwt-token.verifier';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

async function expectInvalidToken(promise: Promise<unknown>, description?: string | RegExp): Promise<BearerError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BearerError);
  const bearer = error as BearerError;
  expect(bearer.code).toBe('invalid_token');
  expect(bearer.status).toBe(401);
  if (description) expect(bearer.description).toMatch(description);
  return bearer;
}

describe('JwtTokenVerifier (RFC 9068 access tokens, local JWKS)', () => {
  let fake: FakeAuthServer;
  let verifier: JwtTokenVerifier;
  let attacker: { privateKey: CryptoKey; publicKey: CryptoKey };

  beforeAll(async () => {
    fake = await startFakeAuthServer();
    attacker = await generateKeyPair('RS256', { extractable: true });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    const options = resolveOptions({ authServerUrl: fake.issuer, mode: 'jwt' });
    verifier = new JwtTokenVerifier(options, new AuthorizationServerClient(options));
  });

  /** The claims a genuine token carries, for forgeries to reuse. */
  const claims = () => ({
    iss: fake.issuer,
    sub: 'service-client-jwt',
    aud: ['service-client-jwt'],
    client_id: 'service-client-jwt',
    scope: 'country.read',
    iat: now(),
    nbf: now(),
    exp: now() + 300,
    jti: 'forged-jti',
  });

  it('accepts a genuine token and returns the client, scopes, jti and exp', async () => {
    const token = await fake.jwt({ scope: 'country.read customer.read', jti: 'jti-1' });
    await expect(verifier.verify(token)).resolves.toEqual({
      clientId: 'service-client-jwt',
      scopes: ['country.read', 'customer.read'],
      tokenId: 'jti-1',
      validatedBy: 'jwt',
      expiresAt: expect.any(Number),
      audience: ['service-client-jwt'],
    });
  });

  it('caches the JWKS: many verifications, one fetch', async () => {
    const before = fake.calls.jwks;
    for (let i = 0; i < 5; i++) await verifier.verify(await fake.jwt());
    expect(fake.calls.jwks - before).toBe(1);
  });

  it('remembers a verified token (the identical bytes only), never past its exp', async () => {
    const token = await fake.jwt({ jti: 'jti-remembered' });
    expect(verifier.remembered(token)).toBeUndefined();
    const client = await verifier.verify(token);
    expect(verifier.remembered(token)).toBe(client);
    // One character of the signature changed: another token, verified (and refused) from scratch.
    const tampered = token.slice(0, -2) + (token.at(-2) === 'A' ? 'B' : 'A') + token.at(-1);
    expect(verifier.remembered(tampered)).toBeUndefined();
    await expectInvalidToken(verifier.verify(tampered));
    // Accepted within the clock leeway of its exp, but not remembered: the cache never outlives exp.
    const expiring = await fake.jwt({ exp: now() - 10 });
    await expect(verifier.verify(expiring)).resolves.toBeDefined();
    expect(verifier.remembered(expiring)).toBeUndefined();
    expect(verifier.remembered('opaque-token-without-a-dot')).toBeUndefined();
  });

  it('refuses alg "none"', async () => {
    const token = `${b64({ alg: 'none', typ: 'at+jwt', kid: fake.kid })}.${b64(claims())}.`;
    await expectInvalidToken(verifier.verify(token));
  });

  it('refuses HS256 signed with the public key as the HMAC secret (algorithm confusion)', async () => {
    const pem = await exportSPKI((await importJWK(fake.publicJwk, 'RS256', { extractable: true })) as CryptoKey);
    for (const secret of [pem, JSON.stringify(fake.publicJwk)]) {
      const token = await new SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: fake.kid })
        .sign(new TextEncoder().encode(secret));
      await expectInvalidToken(verifier.verify(token));
    }
  });

  describe('accepts exactly the algorithms the metadata announces', () => {
    const fresh = () => {
      const options = resolveOptions({ authServerUrl: fake.issuer, mode: 'jwt' });
      return new JwtTokenVerifier(options, new AuthorizationServerClient(options));
    };
    afterEach(() => {
      fake.accessTokenAlgs = undefined;
      fake.extraKeys = [];
    });

    it.each(['PS256', 'ES256', 'EdDSA'] as const)('%s: accepted once announced, refused while only RS256 is', async (alg) => {
      const pair = await generateKeyPair(alg, { extractable: true });
      fake.extraKeys = [{ ...(await exportJWK(pair.publicKey)), kid: `extra-${alg}`, use: 'sig', alg }];
      const token = await new SignJWT(claims()).setProtectedHeader({ alg, typ: 'at+jwt', kid: `extra-${alg}` }).sign(pair.privateKey);
      await expectInvalidToken(fresh().verify(token)); // metadata announces nothing: RS256 only
      fake.accessTokenAlgs = ['RS256', 'PS256', 'ES256', 'EdDSA'];
      await expect(fresh().verify(token)).resolves.toMatchObject({ clientId: 'service-client-jwt', validatedBy: 'jwt' });
      fake.accessTokenAlgs = ['RS256'];
      await expectInvalidToken(fresh().verify(token));
    });

    it('never accepts HS256, even when the metadata announces it', async () => {
      fake.accessTokenAlgs = ['HS256', 'RS256'];
      const pem = await exportSPKI((await importJWK(fake.publicJwk, 'RS256', { extractable: true })) as CryptoKey);
      const token = await new SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: fake.kid })
        .sign(new TextEncoder().encode(pem));
      await expectInvalidToken(fresh().verify(token));
    });
  });

  it('refuses RS256 from a foreign key under the right kid', async () => {
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: fake.kid }).sign(attacker.privateKey);
    await expectInvalidToken(verifier.verify(token));
  });

  it('never uses a key carried in the token (jwk, jku, x5u, x5c headers)', async () => {
    const jwk = await exportJWK(attacker.publicKey);
    const headers = [
      { jwk },
      { jwk, kid: 'attacker' },
      { jku: 'http://127.0.0.1:1/jwks', kid: 'attacker' },
      { x5u: 'http://127.0.0.1:1/cert' },
      { x5c: ['MIIB'] },
    ];
    for (const header of headers) {
      const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', ...header }).sign(attacker.privateKey);
      await expectInvalidToken(verifier.verify(token));
    }
  });

  it('refuses a wrong issuer', async () => {
    await expectInvalidToken(verifier.verify(await fake.jwt({ iss: 'http://evil.example/ms-auth-server' })));
  });

  it('refuses an expired token (beyond the 30 s leeway) and says so', async () => {
    await expectInvalidToken(
      verifier.verify(await fake.jwt({ iat: now() - 600, nbf: now() - 600, exp: now() - 60 })),
      'the access token expired',
    );
  });

  it('tolerates 30 s of clock skew on exp and nbf', async () => {
    await expect(verifier.verify(await fake.jwt({ exp: now() - 10 }))).resolves.toBeDefined();
    await expect(verifier.verify(await fake.jwt({ nbf: now() + 10 }))).resolves.toBeDefined();
  });

  it('refuses a token not yet valid (nbf beyond the leeway)', async () => {
    await expectInvalidToken(verifier.verify(await fake.jwt({ nbf: now() + 120 })));
  });

  it('refuses a token without typ "at+jwt" (RFC 9068 §4)', async () => {
    await expectInvalidToken(verifier.verify(await fake.jwt({}, { typ: undefined })));
    await expectInvalidToken(verifier.verify(await fake.jwt({}, { typ: 'JWT' })));
  });

  it('refuses a token missing jti or client_id', async () => {
    await expectInvalidToken(verifier.verify(await fake.jwt({ jti: undefined })));
    await expectInvalidToken(verifier.verify(await fake.jwt({ client_id: undefined })));
  });

  it('refuses a tampered payload', async () => {
    const [header, , signature] = (await fake.jwt()).split('.');
    await expectInvalidToken(verifier.verify(`${header}.${b64({ ...claims(), scope: 'admin' })}.${signature}`));
  });

  it('refuses garbage and oversized tokens without any network call', async () => {
    const before = { ...fake.calls };
    await expectInvalidToken(verifier.verify('not a token'), 'malformed');
    await expectInvalidToken(verifier.verify('a'.repeat(5000)), 'malformed');
    expect(fake.calls).toEqual(before);
  });

  it('refetches the JWKS for an unknown kid, at most once per cooldown', async () => {
    // Fresh verifier: one fetch for the first token, then one refetch for the unknown kid,
    // then no more while the cooldown runs.
    await verifier.verify(await fake.jwt());
    const before = fake.calls.jwks;
    for (let i = 0; i < 5; i++) {
      const token = await new SignJWT(claims())
        .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: `unknown-${i}` })
        .sign(attacker.privateKey);
      await expectInvalidToken(verifier.verify(token));
    }
    expect(fake.calls.jwks - before).toBeLessThanOrEqual(1);
  });

  it('answers 401 "could not be validated" (not a 500) when the auth-server is unreachable', async () => {
    const options = resolveOptions({ authServerUrl: 'http://127.0.0.1:1/ms-auth-server', httpTimeoutMs: 500 });
    const offline = new JwtTokenVerifier(options, new AuthorizationServerClient(options));
    await expectInvalidToken(offline.verify(await fake.jwt()), 'could not be validated');
  });
});
