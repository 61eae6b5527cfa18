import type { AuthServerConfig } from '../config';
import { configSchema } from '../config';
import type { RegisteredClient } from '../clients/client';

/** Small factories for unit specs (imported only by *.spec.ts). */
export function aClient(overrides: Partial<RegisteredClient> = {}): RegisteredClient {
  return {
    clientId: 'user-client-opaque',
    authMethods: ['client_secret_basic', 'client_secret_post'],
    grantTypes: ['client_credentials'],
    tokenFormat: 'opaque',
    scopes: ['country.read', 'customer.read', 'customer.write'],
    mayIntrospect: false,
    tokenLifetimeSeconds: 14400,
    tokenSigningAlg: 'RS256',
    jwks: null,
    jwksUri: null,
    enabled: true,
    secretVersion: 1,
    seeded: true,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    ...overrides,
  };
}

export function aConfig(env: Record<string, string> = {}): AuthServerConfig {
  return configSchema.parse(env);
}
