import { decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import * as oauth from 'oauth4webapi';
import * as oidc from 'openid-client';
import { ClientAdminService } from '../src/app/clients/client-admin.service';
import { PKJWT_PRIVATE_JWK, pkjwtPrivateKey } from './support/client-assertions';
import { freePort } from '@playground/database/testing';
import { SEEDED, useAuthServer } from './support/auth-server';

/**
 * Interoperability with a client nobody here wrote: panva's openid-client v6, in plain OAuth 2.0
 * mode (RFC 8414 discovery rather than OpenID Connect).
 */
describe('openid-client v6 interoperability', () => {
  const auth = useAuthServer('auth_interop', async () => ({ port: await freePort() }));
  let issuer: URL;

  beforeAll(async () => {
    // The issuer must name the real port: discovery checks that the metadata's issuer matches.
    issuer = new URL(auth.server.baseUrl);
  });

  const discover = (client: { id: string; secret: string }, clientAuth: (secret: string) => oidc.ClientAuth) =>
    oidc.discovery(issuer, client.id, undefined, clientAuth(client.secret), {
      algorithm: 'oauth2', // RFC 8414: /.well-known/oauth-authorization-server/ms-auth-server
      execute: [oidc.allowInsecureRequests], // plain http on loopback
    });

  it('discovers the server by RFC 8414 metadata', async () => {
    const config = await discover(SEEDED.opaque, oidc.ClientSecretBasic);
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(issuer.href.replace(/\/$/, ''));
    expect(metadata.token_endpoint).toBe(`${auth.server.baseUrl}/oauth2/token`);
    expect(metadata.token_endpoint_auth_methods_supported).toEqual(['client_secret_basic', 'client_secret_post', 'private_key_jwt']);
  });

  it('gets a token by the client credentials grant with ClientSecretBasic', async () => {
    const config = await discover(SEEDED.opaque, oidc.ClientSecretBasic);
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'country.read' });
    expect(tokens.token_type).toBe('bearer'); // openid-client lower-cases it
    expect(tokens.scope).toBe('country.read');
    expect(tokens.expires_in).toBe(14400);
    expect(tokens.access_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('gets a JWT by the client credentials grant with ClientSecretPost', async () => {
    const config = await discover(SEEDED.jwt, oidc.ClientSecretPost);
    const tokens = await oidc.clientCredentialsGrant(config);
    expect(tokens.access_token.split('.')).toHaveLength(3);
    expect(tokens.scope).toBe('country.read customer.read customer.write');
  });

  it('introspects and then revokes tokens, after which introspection says inactive', async () => {
    const owner = await discover(SEEDED.opaque, oidc.ClientSecretPost);
    const introspector = await discover(SEEDED.jwt, oidc.ClientSecretBasic);
    const { access_token } = await oidc.clientCredentialsGrant(owner, { scope: 'customer.read' });

    const active = await oidc.tokenIntrospection(introspector, access_token);
    expect(active).toMatchObject({ active: true, client_id: 'user-client-opaque', scope: 'customer.read', token_type: 'Bearer' });

    await oidc.tokenRevocation(owner, access_token);
    expect(await oidc.tokenIntrospection(introspector, access_token)).toEqual({ active: false });
  });

  it('revokes a JWT by its owner through openid-client', async () => {
    const config = await discover(SEEDED.jwt, oidc.ClientSecretBasic);
    const { access_token } = await oidc.clientCredentialsGrant(config);
    expect((await oidc.tokenIntrospection(config, access_token)).active).toBe(true);
    await oidc.tokenRevocation(config, access_token, { token_type_hint: 'access_token' });
    expect((await oidc.tokenIntrospection(config, access_token)).active).toBe(false);
  });

  it('surfaces a wrong secret over Basic as a 401 with the Basic challenge (RFC 6749 §5.2)', async () => {
    const config = await discover({ id: SEEDED.opaque.id, secret: 'wrong' }, oidc.ClientSecretBasic);
    const error = await oidc.clientCredentialsGrant(config).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'OAUTH_WWW_AUTHENTICATE_CHALLENGE', status: 401 });
    expect((error as Error).cause).toEqual([{ scheme: 'basic', parameters: { realm: 'ms-auth-server', charset: 'UTF-8' } }]);
  });

  it('surfaces a wrong secret over client_secret_post as an invalid_client response body error', async () => {
    const config = await discover({ id: SEEDED.opaque.id, secret: 'wrong' }, oidc.ClientSecretPost);
    await expect(oidc.clientCredentialsGrant(config)).rejects.toMatchObject({ error: 'invalid_client', status: 401 });
  });

  describe('private_key_jwt (RFC 7523 §2.2) with clients nobody here wrote', () => {
    const PKJWT = 'service-client-pkjwt';

    it('openid-client PrivateKeyJwt: the seeded client gets an ES256 JWT and introspects with it', async () => {
      const key = { key: await pkjwtPrivateKey(), kid: PKJWT_PRIVATE_JWK.kid };
      const config = await oidc.discovery(issuer, PKJWT, undefined, oidc.PrivateKeyJwt(key), {
        algorithm: 'oauth2',
        execute: [oidc.allowInsecureRequests],
      });
      expect(config.serverMetadata().token_endpoint_auth_signing_alg_values_supported).toEqual([
        'RS256',
        'PS256',
        'ES256',
        'EdDSA',
        'Ed25519',
      ]);
      const tokens = await oidc.clientCredentialsGrant(config, { scope: 'country.read' });
      expect(tokens.scope).toBe('country.read');
      expect(decodeProtectedHeader(tokens.access_token)).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
      // Each call signs a fresh assertion (new jti), so repeated calls keep working.
      expect(await oidc.tokenIntrospection(config, tokens.access_token)).toMatchObject({ active: true, client_id: PKJWT });
      await oidc.tokenRevocation(config, tokens.access_token);
      expect(await oidc.tokenIntrospection(config, tokens.access_token)).toEqual({ active: false });
    });

    it('openid-client PrivateKeyJwt with an EdDSA client registered by the admin service', async () => {
      const { privateKey, publicKey } = await generateKeyPair('EdDSA', { extractable: true });
      await auth.server.app.get(ClientAdminService).create({
        clientId: 'interop-eddsa',
        authMethods: ['private_key_jwt'],
        jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'ed-1', use: 'sig', alg: 'EdDSA' }] },
        tokenFormat: 'jwt',
        tokenSigningAlg: 'EdDSA',
        scopes: ['country.read'],
      });
      const config = await oidc.discovery(issuer, 'interop-eddsa', undefined, oidc.PrivateKeyJwt({ key: privateKey, kid: 'ed-1' }), {
        algorithm: 'oauth2',
        execute: [oidc.allowInsecureRequests],
      });
      // openid-client signs an Ed25519 assertion with alg "Ed25519" (RFC 9864); the key is registered as "EdDSA".
      const tokens = await oidc.clientCredentialsGrant(config);
      expect(decodeProtectedHeader(tokens.access_token).alg).toBe('EdDSA');
    });

    it('openid-client surfaces a refused assertion (unregistered key) as invalid_client', async () => {
      const { privateKey } = await generateKeyPair('ES256');
      const config = await oidc.discovery(issuer, PKJWT, undefined, oidc.PrivateKeyJwt({ key: privateKey, kid: PKJWT_PRIVATE_JWK.kid }), {
        algorithm: 'oauth2',
        execute: [oidc.allowInsecureRequests],
      });
      await expect(oidc.clientCredentialsGrant(config)).rejects.toMatchObject({ error: 'invalid_client', status: 401 });
    });

    it('oauth4webapi (a second maintained client): discovery, PrivateKeyJwt at the token endpoint and at introspection', async () => {
      const as = await oauth.processDiscoveryResponse(
        issuer,
        await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', [oauth.allowInsecureRequests]: true }),
      );
      const client: oauth.Client = { client_id: PKJWT };
      const auth = oauth.PrivateKeyJwt({ key: await pkjwtPrivateKey(), kid: PKJWT_PRIVATE_JWK.kid });
      const response = await oauth.clientCredentialsGrantRequest(
        as,
        client,
        auth,
        { scope: 'customer.read' },
        { [oauth.allowInsecureRequests]: true },
      );
      const tokens = await oauth.processClientCredentialsResponse(as, client, response);
      expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'customer.read', expires_in: 14400 });
      const introspection = await oauth.processIntrospectionResponse(
        as,
        client,
        await oauth.introspectionRequest(as, client, auth, tokens.access_token, { [oauth.allowInsecureRequests]: true }),
      );
      expect(introspection).toMatchObject({ active: true, client_id: PKJWT, scope: 'customer.read' });
    });
  });
});
