import { generateKeyPair, exportJWK, jwtVerify, decodeProtectedHeader, calculateJwkThumbprint, EmbeddedJWK, importJWK } from 'jose';
import { createHash } from 'node:crypto';
import { startFakeAuthServer, type FakeAuthServer } from '@playground/testing';
import { TokenProtocolError } from './errors';
import { JWT_BEARER_ASSERTION_TYPE } from './private-key-jwt';
import { ClientCredentialsTokenManager, type TokenManagerOptions } from './token-manager';

describe('token manager: private_key_jwt (RFC 7523), resource (RFC 8707), DPoP (RFC 9449)', () => {
  let stub: FakeAuthServer;
  let privateJwk: Record<string, unknown>;
  let publicJwk: Record<string, unknown>;

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    privateJwk = { ...(await exportJWK(pair.privateKey)), kid: 'k1', alg: 'ES256' };
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' };
  });
  beforeEach(async () => (stub = await startFakeAuthServer()));
  afterEach(() => stub.close());

  const manager = (options: Partial<TokenManagerOptions>) =>
    new ClientCredentialsTokenManager({
      authServerUrl: stub.issuer,
      clientId: 'service-client-pkjwt',
      retry: { attempts: 2, initialDelayMs: 1, maxDelayMs: 2 },
      ...options,
    });
  const form = (n = 0) => Object.fromEntries(new URLSearchParams(stub.tokenRequests[n].body));

  it('private_key_jwt: no Authorization header; a signed assertion with iss = sub = client_id, aud = issuer, fresh jti each request', async () => {
    const tokens = manager({ privateKeyJwt: { privateJwk } });
    await tokens.getAccessToken();
    tokens.invalidate();
    await tokens.getAccessToken();
    expect(stub.tokenRequests[0].headers.authorization).toBeUndefined();
    const body = form();
    expect(body).toMatchObject({
      grant_type: 'client_credentials',
      client_id: 'service-client-pkjwt',
      client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
    });
    const { payload, protectedHeader } = await jwtVerify(body['client_assertion'], await importJWK(publicJwk, 'ES256'), {
      issuer: 'service-client-pkjwt',
      audience: stub.issuer,
    });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', kid: 'k1' });
    expect(payload.sub).toBe('service-client-pkjwt');
    expect((payload.exp as number) - (payload.iat as number)).toBeLessThanOrEqual(300);
    expect(decodeJwtId(form(1)['client_assertion'])).not.toBe(payload.jti);
  });

  it('refuses a public JWK as the private key, and a manager with neither secret nor key', () => {
    expect(() => manager({ privateKeyJwt: { privateJwk: publicJwk } })).toThrow('private JWK');
    expect(() => manager({})).toThrow('clientSecret or privateKeyJwt');
  });

  it('resource: each indicator sent as its own `resource` parameter', async () => {
    await manager({ clientSecret: 's', resource: ['http://localhost:8091/ms-system', 'urn:playground:reports'] }).getAccessToken();
    expect(new URLSearchParams(stub.tokenRequests[0].body).getAll('resource')).toEqual([
      'http://localhost:8091/ms-system',
      'urn:playground:reports',
    ]);
  });

  it('DPoP: a proof at the token endpoint; the resource call gets `DPoP <token>` and a proof with ath, a new one each time', async () => {
    stub.onToken = () => ({ status: 200, body: { access_token: 'bound-token', token_type: 'DPoP', expires_in: 3600 } });
    const tokens = manager({ clientSecret: 's', dpop: true });
    await tokens.authorizedFetch(`${stub.origin}/resource?page=2`);
    await tokens.authorizedFetch(`${stub.origin}/resource?page=3`);
    const tokenProof = stub.tokenRequests[0].headers['dpop'] as string;
    const { payload: atToken, protectedHeader } = await jwtVerify(tokenProof, EmbeddedJWK, { typ: 'dpop+jwt' });
    expect(atToken).toMatchObject({ htm: 'POST', htu: `${stub.issuer}/oauth2/token` });
    expect(atToken.ath).toBeUndefined();
    const [first, second] = stub.resourceRequests;
    expect(first.headers.authorization).toBe('DPoP bound-token');
    const { payload: atResource } = await jwtVerify(first.headers['dpop'] as string, EmbeddedJWK, { typ: 'dpop+jwt' });
    expect(atResource).toMatchObject({
      htm: 'GET',
      htu: `${stub.origin}/resource`,
      ath: createHash('sha256').update('bound-token').digest('base64url'),
    });
    expect(decodeJwtId(second.headers['dpop'] as string)).not.toBe(atResource.jti);
    // The same key throughout: the one the token is bound to.
    expect(await calculateJwkThumbprint(decodeProtectedHeader(second.headers['dpop'] as string).jwk as never)).toBe(
      await calculateJwkThumbprint(protectedHeader.jwk as never),
    );
  });

  it('DPoP asked for but a Bearer token answered → a protocol error, never a silently unbound token', async () => {
    await expect(manager({ clientSecret: 's', dpop: true }).getAccessToken()).rejects.toThrow(TokenProtocolError);
  });
});

function decodeJwtId(jwt: string): unknown {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()).jti;
}
