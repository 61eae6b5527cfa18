import type { NewClient, RegisteredClient } from './client';

/** Persistence port for clients; TypeORM stays behind it. */
export interface ClientRepository {
  /** The client and its secret hash (for verification only), or undefined. */
  findWithSecretHash(clientId: string): Promise<{ client: RegisteredClient; secretHash: string } | undefined>;
  find(clientId: string): Promise<RegisteredClient | undefined>;
  list(): Promise<RegisteredClient[]>;
  /** Inserts unless the id exists; says whether it inserted. */
  insertIfAbsent(client: NewClient, secretHash: string): Promise<boolean>;
  /** Replaces the secret hash and bumps `secret_version`; false if there is no such client. */
  replaceSecret(clientId: string, secretHash: string): Promise<boolean>;
  disable(clientId: string): Promise<boolean>;
  /** Every scope registered for an enabled client, sorted, once each (RFC 8414 `scopes_supported`). */
  registeredScopes(): Promise<string[]>;
}

export const CLIENT_REPOSITORY = Symbol('CLIENT_REPOSITORY');
