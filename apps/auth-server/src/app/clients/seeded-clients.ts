import type { AuthServerConfig } from '../config';
import { DEV_ARCHIVAL_CLIENT_SECRET } from '../config';
import type { NewClient } from './client';

export interface SeededClient {
  client: NewClient;
  /** The secret it is created with; null for a client without one (private_key_jwt). */
  secret: string | null;
  /** The published dev default; production refuses to start while it still works. */
  devSecret: string | null;
}

/**
 * The public part of the playground key pair of `service-client-pkjwt`, whose private key is
 * published at docs/keys/service-client-pkjwt.private.jwk.json (a unit test keeps the two equal).
 * Production refuses to start while the enabled client still has this key.
 */
export const SERVICE_CLIENT_PKJWT_PUBLIC_JWK = {
  kty: 'EC',
  crv: 'P-256',
  x: '5f_W-344eTFeacf6BicDFdnlaxhmOjWKwwK2iGMpsYI',
  y: 'exML2Rq5aw5cRXgwA2jcFzVTDCmTIlN3ORqz7aSNG2o',
  kid: 'vovwu5fhgBES10eE9TzJ6RhNcofTehIt6Us2uTX4hzs',
  alg: 'ES256',
  use: 'sig',
};

const ALL_SCOPES = ['country.read', 'customer.read', 'customer.write'];

/** The playground's clients, exactly as docs/contract.md lists them. */
export function seededClients(config: AuthServerConfig): SeededClient[] {
  const lifetime = config.SEEDED_TOKEN_LIFETIME_SECONDS;
  const both: NewClient['authMethods'] = ['client_secret_basic', 'client_secret_post'];
  const common = { grantTypes: ['client_credentials'], tokenLifetimeSeconds: lifetime, seeded: true };
  return [
    {
      client: {
        ...common,
        clientId: 'user-client-opaque',
        authMethods: both,
        tokenFormat: 'opaque',
        scopes: ALL_SCOPES,
        mayIntrospect: false,
      },
      secret: 'user-client-secret',
      devSecret: 'user-client-secret',
    },
    {
      client: { ...common, clientId: 'service-client-jwt', authMethods: both, tokenFormat: 'jwt', scopes: ALL_SCOPES, mayIntrospect: true },
      secret: 'service-client-jwt-secret',
      devSecret: 'service-client-jwt-secret',
    },
    {
      client: {
        ...common,
        clientId: 'archival-service',
        authMethods: ['client_secret_basic'],
        tokenFormat: 'jwt',
        scopes: ['country.read'],
        mayIntrospect: false,
      },
      secret: config.ARCHIVAL_CLIENT_SECRET,
      devSecret: DEV_ARCHIVAL_CLIENT_SECRET,
    },
    {
      client: {
        ...common,
        clientId: 'service-client-pkjwt',
        authMethods: ['private_key_jwt'],
        tokenFormat: 'jwt',
        tokenSigningAlg: 'ES256',
        scopes: ['country.read', 'customer.read'],
        mayIntrospect: true,
        jwks: { keys: [SERVICE_CLIENT_PKJWT_PUBLIC_JWK] },
      },
      secret: null,
      devSecret: null,
    },
  ];
}
