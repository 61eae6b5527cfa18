import type { NewClient, PublicJwkSet, RegisteredClient } from './client';

/** Persistence port for clients; TypeORM stays behind it. */
export interface ClientRepository {
  /**
   * The client and its secret hashes (for verification only), or undefined: the current one (null
   * for a client without a secret) and, inside its grace period, the previous one and its end.
   */
  findWithSecretHash(
    clientId: string,
  ): Promise<
    { client: RegisteredClient; secretHash: string | null; previousSecretHash?: string; previousSecretExpiresAt?: Date } | undefined
  >;
  find(clientId: string): Promise<RegisteredClient | undefined>;
  list(): Promise<RegisteredClient[]>;
  /** Inserts unless the id exists; says whether it inserted. `secretHash` null: a client without a secret. */
  insertIfAbsent(client: NewClient, secretHash: string | null): Promise<boolean>;
  /**
   * Replaces the secret hash and bumps `secret_version`; false if there is no such client. With
   * `graceUntil`, the hash it replaces stays valid until then (two live secrets).
   */
  replaceSecret(clientId: string, secretHash: string, graceUntil?: Date): Promise<boolean>;
  /** Replaces the registered keys of a private_key_jwt client (bumps `secret_version`); false if there is no such client. */
  replaceKeys(clientId: string, keys: { jwks: PublicJwkSet | null; jwksUri: string | null }): Promise<boolean>;
  disable(clientId: string): Promise<boolean>;
  /** Every scope registered for an enabled client, sorted, once each (RFC 8414 `scopes_supported`). */
  registeredScopes(): Promise<string[]>;
}

export const CLIENT_REPOSITORY = Symbol('CLIENT_REPOSITORY');
