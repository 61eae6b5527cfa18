import { InvalidClientError, InvalidRequestError } from '@playground/oauth-contracts';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { aClient, aConfig } from '../testing/fixtures';
import type { AssertionReplayRepository } from './assertion-replay.repository.port';
import type { ClientAuthRequest, ClientOnFile } from './client-auth-method';
import { JWT_BEARER_ASSERTION_TYPE } from './client-assertion';
import { ClientKeySets } from './client-key-sets';
import { PrivateKeyJwtMethod } from './private-key-jwt.method';

const ISSUER = 'http://localhost:8085/ms-auth-server';
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
  let onFile: ClientOnFile;
  let replay: MemoryReplay;
  let method: PrivateKeyJwtMethod;

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    onFile = { client: aClient({ clientId: 'pk-client', authMethods: ['private_key_jwt'], jwks: { keys: [jwk] } }), secretHash: null };
  });
  beforeEach(() => {
    replay = new MemoryReplay();
    method = new PrivateKeyJwtMethod(new ClientKeySets(aConfig()), replay);
  });

  const assertion = (claims: JWTPayload = {}) =>
    new SignJWT({ iss: 'pk-client', sub: 'pk-client', aud: ISSUER, exp: now + 60, jti: `j-${Math.random()}`, ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .sign(privateKey);
  const request = (params: Record<string, string> = {}): ClientAuthRequest => ({
    headers: {},
    params,
    issuer: ISSUER,
    endpointUrl: `${ISSUER}/oauth2/introspect`,
  });
  const presented = async (claims?: JWTPayload) => ({
    method: 'private_key_jwt' as const,
    clientId: 'pk-client',
    credential: await assertion(claims),
  });

  it('is not used without client_assertion(_type)', () => {
    expect(method.present(request({ client_id: 'x' }))).toBeUndefined();
  });

  it('reads the assertion and its iss', async () => {
    const a = await assertion();
    expect(method.present(request({ client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: a }))).toEqual({
      method: 'private_key_jwt',
      clientId: 'pk-client',
      credential: a,
    });
  });

  it('refuses half an assertion with invalid_request, another assertion type or a non-JWT with invalid_client', () => {
    expect(() => method.present(request({ client_assertion: 'x' }))).toThrow(InvalidRequestError);
    expect(() => method.present(request({ client_assertion_type: JWT_BEARER_ASSERTION_TYPE }))).toThrow(InvalidRequestError);
    expect(() =>
      method.present(request({ client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer', client_assertion: 'x' })),
    ).toThrow(InvalidClientError);
    expect(() => method.present(request({ client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: 'not-a-jwt' }))).toThrow(
      InvalidClientError,
    );
  });

  it('refuses an iss no client can have (NUL byte, over-long) before any database lookup', async () => {
    for (const iss of ['a\u0000b', 'x'.repeat(101), 'white space']) {
      const a = await assertion({ iss });
      expect(() => method.present(request({ client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: a }))).toThrow(
        InvalidClientError,
      );
    }
  });

  it('authenticates a valid assertion once, at any endpoint; the same assertion again is a replay', async () => {
    const p = await presented();
    await expect(method.verify(p, onFile, request())).resolves.toBe(true);
    await expect(method.verify(p, onFile, request())).resolves.toEqual({ reason: 'jti replayed' });
  });

  it('keeps the jti until the assertion expires (plus the clock tolerance)', async () => {
    await method.verify(await presented({ jti: 'fixed', exp: now + 100 }), onFile, request());
    expect(replay.used.get('pk-client fixed')).toBe(now + 105);
  });

  it('does not spend the jti of an assertion that fails a check, and says which check', async () => {
    await expect(method.verify(await presented({ jti: 'j-bad', aud: 'https://elsewhere' }), onFile, request())).resolves.toEqual({
      reason: expect.stringMatching(/claim aud/),
    });
    expect(replay.used.size).toBe(0);
  });

  it('fails an unknown client and a client with no registered keys', async () => {
    await expect(method.verify(await presented(), undefined, request())).resolves.toEqual({ reason: 'unknown client' });
    await expect(
      method.verify(await presented(), { client: aClient({ clientId: 'pk-client' }), secretHash: 'h' }, request()),
    ).resolves.toEqual({
      reason: 'no keys registered',
    });
  });
});
