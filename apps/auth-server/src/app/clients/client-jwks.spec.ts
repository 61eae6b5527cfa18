import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { validateJwksUri, validatePublicJwks } from './client-jwks';
import { SERVICE_CLIENT_PKJWT_PUBLIC_JWK } from './seeded-clients';

describe('registering keys for private_key_jwt (RFC 7591 jwks / jwks_uri)', () => {
  it.each(['RS256', 'PS256', 'ES256', 'EdDSA'] as const)('accepts a public %s key', async (alg) => {
    const { publicKey } = await generateKeyPair(alg, { extractable: true });
    const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k', alg, use: 'sig' }] };
    await expect(validatePublicJwks(jwks)).resolves.toEqual(jwks);
  });

  it('refuses a private key, naming the private members', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    await expect(validatePublicJwks({ keys: [await exportJWK(privateKey)] })).rejects.toThrow(
      /private or symmetric key material \(d\) refused/,
    );
    const rsa = await generateKeyPair('RS256', { extractable: true });
    await expect(validatePublicJwks({ keys: [await exportJWK(rsa.privateKey)] })).rejects.toThrow(/\(d, p, q, dp, dq, qi\)/);
  });

  it('refuses a symmetric key', async () => {
    await expect(validatePublicJwks({ keys: [{ kty: 'oct', k: 'c2VjcmV0' }] })).rejects.toThrow(/private or symmetric/);
  });

  it.each([
    ['not a set', { kty: 'EC' }, /a JWK Set/],
    ['an empty set', { keys: [] }, /a JWK Set/],
    ['another curve', { keys: [{ kty: 'EC', crv: 'P-384', x: 'a', y: 'b' }] }, /curve P-256/],
    ['an encryption key', { keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'a', use: 'enc' }] }, /use must be "sig"/],
    ['an HMAC alg', { keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'a', alg: 'HS256' }] }, /alg must be/],
    ['garbage coordinates', { keys: [{ kty: 'OKP', crv: 'Ed25519', x: '!!' }] }, /not a valid public key/],
    ['a short RSA key', { keys: [{ kty: 'RSA', n: 'AQAB', e: 'AQAB' }] }, /2048 bits/],
  ])('refuses %s', async (_what, input, message) => {
    await expect(validatePublicJwks(input)).rejects.toThrow(message);
  });

  it('the seeded service-client-pkjwt registers exactly the public part of the key pair in docs/keys', async () => {
    const file = JSON.parse(readFileSync(join(__dirname, '../../../../../docs/keys/service-client-pkjwt.private.jwk.json'), 'utf8'));
    const { d, ...publicPart } = file;
    expect(d).toEqual(expect.any(String));
    expect(SERVICE_CLIENT_PKJWT_PUBLIC_JWK).toEqual(publicPart);
    await expect(validatePublicJwks({ keys: [SERVICE_CLIENT_PKJWT_PUBLIC_JWK] })).resolves.toBeDefined();
  });

  it('jwks_uri: https only (http only when private addresses are allowed), no fragment or credentials', () => {
    expect(validateJwksUri('https://client.example/jwks', false)).toBe('https://client.example/jwks');
    expect(() => validateJwksUri('http://client.example/jwks', false)).toThrow(/https only/);
    expect(validateJwksUri('http://127.0.0.1:9/jwks', true)).toBe('http://127.0.0.1:9/jwks');
    expect(() => validateJwksUri('https://u:p@client.example/jwks', false)).toThrow(/credentials/);
    expect(() => validateJwksUri('https://client.example/jwks#x', false)).toThrow(/fragment/);
    expect(() => validateJwksUri('/jwks', false)).toThrow(/absolute/);
  });
});
