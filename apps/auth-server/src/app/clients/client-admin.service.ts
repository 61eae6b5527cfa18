import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { AUTH_SERVER_CONFIG, type AuthServerConfig } from '../config';
import { CLIENT_AUTH_METHODS, TOKEN_FORMATS, type NewClient, type RegisteredClient } from './client';
import { CLIENT_REPOSITORY, type ClientRepository } from './client.repository';
import { SecretHasher } from './secret-hasher';
import { SecretVerificationCache } from './secret-verification-cache';
import { isResourceIndicator } from '../resources/resource-indicator';

export interface CreateClientInput extends Partial<Omit<NewClient, 'clientId'>> {
  clientId: string;
}

/** RFC 6749 §3.3 scope-token: printable ASCII except space, `"` and `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
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
    await this.audit.record('client_created', client.clientId, {
      tokenFormat: client.tokenFormat,
      scopes: client.scopes,
      resources: client.allowedResources,
      requireDpop: client.requireDpop,
    });
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
    await this.audit.record('client_secret_rotated', clientId);
    return secret;
  }

  async disable(clientId: string): Promise<void> {
    if (!(await this.clients.disable(clientId))) throw new Error(`no client "${clientId}"`);
    this.cache.forget(clientId);
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
      allowedResources: input.allowedResources ?? null,
      requireDpop: input.requireDpop ?? false,
      seeded: input.seeded ?? false,
    };
    if (client.allowedResources?.some((r) => !isResourceIndicator(r))) {
      throw new Error('resources: absolute URIs without a fragment (RFC 8707 §2)');
    }
    if (!CLIENT_ID.test(client.clientId)) throw new Error('client id: 1-100 characters of A-Z a-z 0-9 . _ ~ -');
    if (!client.authMethods.length || client.authMethods.some((m) => !CLIENT_AUTH_METHODS.includes(m))) {
      throw new Error(`auth methods: one or more of ${CLIENT_AUTH_METHODS.join(', ')}`);
    }
    if (!TOKEN_FORMATS.includes(client.tokenFormat)) throw new Error(`token format: one of ${TOKEN_FORMATS.join(', ')}`);
    if (client.scopes.some((s) => !SCOPE_TOKEN.test(s))) throw new Error('scopes: RFC 6749 §3.3 scope tokens');
    if (!Number.isInteger(client.tokenLifetimeSeconds) || client.tokenLifetimeSeconds <= 0) {
      throw new Error('token lifetime: a positive number of seconds');
    }
    return client;
  }
}
