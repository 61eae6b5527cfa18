import { generateKeyPairSync } from 'node:crypto';
import { decodeProtectedHeader, exportJWK, jwtVerify, SignJWT } from 'jose';
import type { SigningKeyService } from '../../keys/signing-key.service';
import { aClient, aConfig } from '../../testing/fixtures';
import { JwtTokenFormat } from './jwt.format';

describe('JWT token format (RFC 9068)', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keys = {
    activeKey: async () => ({ kid: 'kid-1', privateKey }),
    publicKey: async (kid: string) => (kid === 'kid-1' ? publicKey : undefined),
  };
  const config = aConfig();
  const format = new JwtTokenFormat(keys as unknown as SigningKeyService, config);
  const now = Math.floor(Date.now() / 1000);
  const context = { client: aClient({ clientId: 'service-client-jwt', tokenFormat: 'jwt' }), scope: 'country.read customer.read', jti: 'jti-1', iat: now, exp: now + 300 };

  it('signs RS256 with header typ at+jwt and kid, and exactly the RFC 9068 claims', async () => {
    const { accessToken, record } = await format.generate(context);
    expect(decodeProtectedHeader(accessToken)).toEqual({ alg: 'RS256', typ: 'at+jwt', kid: 'kid-1' });
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
    expect(record).toEqual({ jti: 'jti-1', format: 'jwt', tokenHash: null, kid: 'kid-1', audience: null, cnfJkt: null });
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

  it('identifies its own JWTs by jti', async () => {
    const { accessToken } = await format.generate(context);
    await expect(format.identify(accessToken)).resolves.toEqual({ jti: 'jti-1' });
  });

  it('does not identify an expired JWT', async () => {
    const { accessToken } = await format.generate({ ...context, iat: now - 600, exp: now - 300 });
    await expect(format.identify(accessToken)).resolves.toBeUndefined();
  });

  it.each([
    ['alg none', async () => `${Buffer.from('{"alg":"none","typ":"at+jwt","kid":"kid-1"}').toString('base64url')}.${Buffer.from('{"jti":"x"}').toString('base64url')}.`],
    ['a foreign key', async () => {
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      return new SignJWT({ jti: 'x' }).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'kid-1' }).setIssuer(config.ISSUER).sign(other);
    }],
    ['a plain JWT typ', async () => new SignJWT({ jti: 'x' }).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'kid-1' }).setIssuer(config.ISSUER).sign(privateKey)],
    ['another issuer', async () => new SignJWT({ jti: 'x' }).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'kid-1' }).setIssuer('http://evil').sign(privateKey)],
    ['an unknown kid', async () => new SignJWT({ jti: 'x' }).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'nope' }).setIssuer(config.ISSUER).sign(privateKey)],
    ['an opaque token', async () => 'A'.repeat(43)],
  ])('does not identify %s', async (_what, make) => {
    await expect(format.identify(await make())).resolves.toBeUndefined();
  });

  it('publishes nothing private: the public JWK of the key has only n and e', async () => {
    expect(Object.keys(await exportJWK(publicKey)).sort()).toEqual(['e', 'kty', 'n']);
  });
});
