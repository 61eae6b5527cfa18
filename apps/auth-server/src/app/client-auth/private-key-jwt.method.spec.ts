import { InvalidClientError, InvalidRequestError } from '@playground/oauth-contracts';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { aClient, aConfig } from '../testing/fixtures';
import type { AssertionReplayRepository } from './assertion-replay.repository';
import { JWT_BEARER_ASSERTION_TYPE } from './client-assertion';
import { ClientKeySets } from './client-key-sets';
import { PrivateKeyJwtMethod } from './private-key-jwt.method';

const config = aConfig();
const now = Math.floor(Date.now() / 1000);

/** The Postgres store's contract in memory: first use true, a live repeat false. */
class MemoryReplay implements AssertionReplayRepository {
  readonly used = new Map<string, number>();
  async use(clientId: string, jti: string, expiresAt: number, at = now) {
    const key = `${clientId} ${jti}`;
    if ((this.used.get(key) ?? -1) >= at) return false;
    this.used.set(key, expiresAt);
    return true;
  }
  async purgeExpired() {
    return 0;
  }
}

describe('private_key_jwt method (RFC 7523 §2.2)', () => {
  let privateKey: CryptoKey;
  let client = aClient();
  let replay: MemoryReplay;
  let method: PrivateKeyJwtMethod;

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    client = aClient({ clientId: 'pk-client', authMethods: ['private_key_jwt'], jwks: { keys: [jwk] } });
  });
  beforeEach(() => {
    replay = new MemoryReplay();
    method = new PrivateKeyJwtMethod(config, new ClientKeySets(config), replay);
  });

  const assertion = (claims: JWTPayload = {}) =>
    new SignJWT({ iss: 'pk-client', sub: 'pk-client', aud: config.ISSUER, exp: now + 60, jti: `j-${Math.random()}`, ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .sign(privateKey);
  const request = (params: Record<string, string>) => ({ headers: {}, params });

  it('is not used without client_assertion(_type)', () => {
    expect(method.extract(request({ client_id: 'x' }))).toBeUndefined();
  });

  it('reads the assertion and its iss', async () => {
    const a = await assertion();
    expect(method.extract(request({ client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: a }))).toEqual({
      method: 'private_key_jwt',
      clientId: 'pk-client',
      assertion: a,
    });
  });

  it('accepts a client_id that matches, refuses one that does not with invalid_request', async () => {
    const a = await assertion();
    const params = { client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: a };
    expect(method.extract(request({ ...params, client_id: 'pk-client' }))?.clientId).toBe('pk-client');
    expect(() => method.extract(request({ ...params, client_id: 'someone-else' }))).toThrow(InvalidRequestError);
  });

  it('refuses half an assertion with invalid_request, another assertion type or a non-JWT with invalid_client', async () => {
    expect(() => method.extract(request({ client_assertion: 'x' }))).toThrow(InvalidRequestError);
    expect(() => method.extract(request({ client_assertion_type: JWT_BEARER_ASSERTION_TYPE }))).toThrow(InvalidRequestError);
    expect(() => method.extract(request({ client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer', client_assertion: 'x' }))).toThrow(
      InvalidClientError,
    );
    expect(() => method.extract(request({ client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: 'not-a-jwt' }))).toThrow(InvalidClientError);
  });

  it('authenticates a valid assertion once; the same assertion again is a replay', async () => {
    const presented = { method: 'private_key_jwt' as const, clientId: 'pk-client', assertion: await assertion() };
    await expect(method.check(presented, client, now)).resolves.toBeUndefined();
    await expect(method.check(presented, client, now)).resolves.toBe('jti replayed');
  });

  it('keeps the jti until the assertion expires (plus the clock tolerance)', async () => {
    await method.check({ method: 'private_key_jwt', clientId: 'pk-client', assertion: await assertion({ jti: 'fixed', exp: now + 100 }) }, client, now);
    expect(replay.used.get('pk-client fixed')).toBe(now + 105);
  });

  it('does not spend the jti of an assertion that fails a check', async () => {
    const bad = await assertion({ jti: 'j-bad', aud: 'https://elsewhere' });
    await expect(method.check({ method: 'private_key_jwt', clientId: 'pk-client', assertion: bad }, client, now)).resolves.toMatch(/claim aud/);
    expect(replay.used.size).toBe(0);
  });

  it('fails a client with no registered keys', async () => {
    const presented = { method: 'private_key_jwt' as const, clientId: 'pk-client', assertion: await assertion() };
    await expect(method.check(presented, aClient({ clientId: 'pk-client' }), now)).resolves.toBe('no keys registered');
  });
});
