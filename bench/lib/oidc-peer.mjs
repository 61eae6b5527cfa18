// A mature peer for the token and introspection endpoints: panva's oidc-provider, configured for
// the client credentials grant with introspection, opaque and RS256 JWT access tokens, on its
// default in-memory adapter. Started as its own process by the bench: `node oidc-peer.mjs PORT`.
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const issuer = `http://127.0.0.1:${port}`;
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'bench', use: 'sig', alg: 'RS256' };

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

const provider = new Provider(issuer, {
  clients: [client('peer-opaque', 'opaque'), client('peer-jwt', 'jwt')],
  extraClientMetadata: { properties: ['urn:bench:format'] },
  jwks: { keys: [jwk] },
  scopes: ['country.read'],
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: (_ctx, client) => `urn:bench:${client['urn:bench:format']}`,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, resource) => ({
        scope: 'country.read',
        audience: 'ms-system',
        accessTokenTTL: 14400,
        accessTokenFormat: resource.endsWith(':jwt') ? 'jwt' : 'opaque',
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
});
provider.on('server_error', (_ctx, error) => console.error('oidc-provider server_error', error));
createServer(provider.callback()).listen(port, '127.0.0.1', () => console.log(`ready ${issuer}`));
