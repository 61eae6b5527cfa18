import type { AuthServerConfig } from '../config';
import { DEV_ARCHIVAL_CLIENT_SECRET } from '../config';
import type { NewClient } from './client';

export interface SeededClient {
  client: NewClient;
  /** The secret it is created with. */
  secret: string;
  /** The published dev default; production refuses to start while it still works. */
  devSecret: string;
}

const ALL_SCOPES = ['country.read', 'customer.read', 'customer.write'];

/** The playground's clients, exactly as docs/contract.md lists them. */
export function seededClients(config: AuthServerConfig): SeededClient[] {
  const lifetime = config.SEEDED_TOKEN_LIFETIME_SECONDS;
  const both: NewClient['authMethods'] = ['client_secret_basic', 'client_secret_post'];
  const common = { grantTypes: ['client_credentials'], tokenLifetimeSeconds: lifetime, seeded: true };
  return [
    {
      client: { ...common, clientId: 'user-client-opaque', authMethods: both, tokenFormat: 'opaque', scopes: ALL_SCOPES, mayIntrospect: false },
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
  ];
}
