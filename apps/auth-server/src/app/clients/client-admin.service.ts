import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { isScopeToken } from '@playground/oauth-contracts';
import { AuditService } from '../audit/audit.service';
import { CACHE_EVENTS, type CacheEvents } from '../cache-events/cache-events.port';
import { AUTH_SERVER_CONFIG, type AuthServerConfig } from '../config';
import { CLIENT_AUTH_METHODS, TOKEN_FORMATS, type NewClient, type RegisteredClient } from './client';
import { CLIENT_REPOSITORY, type ClientRepository } from './client.repository.port';
import { SecretHasher } from '../client-auth/secret-hasher';
import { SecretVerificationCache } from '../client-auth/secret-verification-cache';

export interface CreateClientInput extends Partial<Omit<NewClient, 'clientId'>> {
  clientId: string;
}

const CLIENT_ID = /^[A-Za-z0-9._~-]{1,100}$/;

/** Client administration (the CLI, the seed): create, list, rotate a secret, disable. */
@Injectable()
export class ClientAdminService {
  constructor(
    @Inject(CLIENT_REPOSITORY) private readonly clients: ClientRepository,
    private readonly hasher: SecretHasher,
    private readonly cache: SecretVerificationCache,
    private readonly audit: AuditService,
    @Inject(AUTH_SERVER_CONFIG) private readonly config: AuthServerConfig,
    @Optional() @Inject(CACHE_EVENTS) private readonly events?: CacheEvents,
  ) {}

  /** A new secret: 256 bits from the CSPRNG, base64url. */
  static generateSecret(): string {
    return randomBytes(32).toString('base64url');
  }

  /**
   * Registers a client and returns its secret. The secret is returned once, here, and only its
   * argon2id hash is stored. Throws if the id is taken.
   */
  async create(input: CreateClientInput): Promise<{ client: RegisteredClient; secret: string }> {
    const secret = ClientAdminService.generateSecret();
    const client = this.validate(input);
    if (!(await this.clients.insertIfAbsent(client, await this.hasher.hash(secret)))) {
      throw new Error(`client "${client.clientId}" already exists`);
    }
    await this.audit.record('client_created', client.clientId, { tokenFormat: client.tokenFormat, scopes: client.scopes });
    const created = await this.clients.find(client.clientId);
    if (!created) throw new Error(`client "${client.clientId}" vanished right after creation`);
    return { client: created, secret };
  }

  /** Idempotent registration with a given secret (the seed). True if it was created now. */
  async ensure(input: NewClient, secret: string): Promise<boolean> {
    const client = this.validate(input);
    if (await this.clients.find(client.clientId)) return false;
    const created = await this.clients.insertIfAbsent(client, await this.hasher.hash(secret));
    if (created) await this.audit.record('client_created', client.clientId, { seeded: client.seeded ?? false });
    return created;
  }

  list(): Promise<RegisteredClient[]> {
    return this.clients.list();
  }

  /**
   * A new secret for the client; the old one stops working at once everywhere (the bumped
   * `secret_version` voids every cached verification, in this and any other process).
   */
  async rotateSecret(clientId: string): Promise<string> {
    const secret = ClientAdminService.generateSecret();
    if (!(await this.clients.replaceSecret(clientId, await this.hasher.hash(secret)))) {
      throw new Error(`no client "${clientId}"`);
    }
    this.cache.forget(clientId);
    await this.events?.publish({ kind: 'client', clientId }); // the other processes' caches (ADR 0011)
    await this.audit.record('client_secret_rotated', clientId);
    return secret;
  }

  async disable(clientId: string): Promise<void> {
    if (!(await this.clients.disable(clientId))) throw new Error(`no client "${clientId}"`);
    this.cache.forget(clientId);
    await this.events?.publish({ kind: 'client', clientId });
    await this.audit.record('client_disabled', clientId);
  }

  private validate(input: CreateClientInput): NewClient {
    const client: NewClient = {
      clientId: input.clientId,
      authMethods: input.authMethods ?? ['client_secret_basic', 'client_secret_post'],
      grantTypes: input.grantTypes ?? ['client_credentials'],
      tokenFormat: input.tokenFormat ?? 'opaque',
      scopes: input.scopes ?? [],
      mayIntrospect: input.mayIntrospect ?? false,
      tokenLifetimeSeconds: input.tokenLifetimeSeconds ?? this.config.DEFAULT_TOKEN_LIFETIME_SECONDS,
      seeded: input.seeded ?? false,
    };
    if (!CLIENT_ID.test(client.clientId)) throw new Error('client id: 1-100 characters of A-Z a-z 0-9 . _ ~ -');
    if (!client.authMethods.length || client.authMethods.some((m) => !CLIENT_AUTH_METHODS.includes(m))) {
      throw new Error(`auth methods: one or more of ${CLIENT_AUTH_METHODS.join(', ')}`);
    }
    if (!TOKEN_FORMATS.includes(client.tokenFormat)) throw new Error(`token format: one of ${TOKEN_FORMATS.join(', ')}`);
    if (client.scopes.some((s) => !isScopeToken(s))) throw new Error('scopes: RFC 6749 §3.3 scope tokens');
    if (!Number.isInteger(client.tokenLifetimeSeconds) || client.tokenLifetimeSeconds <= 0) {
      throw new Error('token lifetime: a positive number of seconds');
    }
    return client;
  }
}
