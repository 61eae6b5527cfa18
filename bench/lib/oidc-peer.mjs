// A mature peer for the token and introspection endpoints: panva's oidc-provider, configured for
// the client credentials grant with introspection, opaque and RS256/ES256/EdDSA JWT access tokens,
// client_secret_basic and private_key_jwt, DPoP, on its default in-memory adapter. Started as its own
// process by the bench: `node oidc-peer.mjs PORT [PKJWT_PUBLIC_JWK_JSON]`.
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const issuer = `http://127.0.0.1:${port}`;
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'bench', use: 'sig', alg: 'RS256' };
const ecJwk = {
  ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }),
  kid: 'bench-es',
  use: 'sig',
  alg: 'ES256',
};
const edJwk = { ...generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }), kid: 'bench-ed', use: 'sig', alg: 'EdDSA' };
// The public key the bench signs its client assertions with (the same pair as the playground's).
const pkjwtPublicJwk = process.argv[3] ? JSON.parse(process.argv[3]) : undefined;
/** Token format and JWT signing algorithm per peer client. */
const FORMATS = {
  opaque: ['opaque'],
  jwt: ['jwt', 'RS256'],
  'jwt-es256': ['jwt', 'ES256'],
  'jwt-eddsa': ['jwt', 'EdDSA'],
  pkjwt: ['jwt', 'ES256'],
};

const client = (client_id, format) => ({
  client_id,
  client_secret: `${client_id}-secret`,
  grant_types: ['client_credentials'],
  redirect_uris: [],
  response_types: [],
  token_endpoint_auth_method: 'client_secret_basic',
  scope: 'country.read',
  'urn:bench:format': format,
});

const clients = [
  client('peer-opaque', 'opaque'),
  client('peer-jwt', 'jwt'),
  client('peer-jwt-es256', 'jwt-es256'),
  client('peer-jwt-eddsa', 'jwt-eddsa'),
];
if (pkjwtPublicJwk) {
  const { client_secret: _none, ...pkjwt } = client('peer-pkjwt', 'pkjwt');
  clients.push({
    ...pkjwt,
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'ES256',
    jwks: { keys: [pkjwtPublicJwk] },
  });
}

const provider = new Provider(issuer, {
  clients,
  extraClientMetadata: { properties: ['urn:bench:format'] },
  jwks: { keys: [jwk, ecJwk, edJwk] },
  scopes: ['country.read'],
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    // RFC 9449: a DPoP proof at the token endpoint binds the token (the bench's DPoP rows).
    dPoP: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: (_ctx, client) => `urn:bench:${client['urn:bench:format']}`,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, resource) => {
        const [format, alg] = FORMATS[resource.slice('urn:bench:'.length)];
        return {
          scope: 'country.read',
          audience: 'ms-system',
          accessTokenTTL: 14400,
          accessTokenFormat: format,
          ...(alg ? { jwt: { sign: { alg } } } : {}),
        };
      },
    },
  },
});
provider.on('server_error', (_ctx, error) => console.error('oidc-provider server_error', error));
createServer(provider.callback()).listen(port, '127.0.0.1', () => console.log(`ready ${issuer}`));
