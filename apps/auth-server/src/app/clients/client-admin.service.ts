import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { isScopeToken } from '@playground/oauth-contracts';
import { AuditService } from '../audit/audit.service';
import { CACHE_EVENTS, type CacheEvents } from '../cache-events/cache-events.port';
import { AUTH_SERVER_CONFIG, type AuthServerConfig } from '../config';
import { DEFAULT_SIGNING_ALG, isSigningAlg, SIGNING_ALGS } from '../keys/signing-algorithms';
import {
  CLIENT_AUTH_METHODS,
  CLIENT_ID_PATTERN,
  SECRET_AUTH_METHODS,
  TOKEN_FORMATS,
  type NewClient,
  type PublicJwkSet,
  type RegisteredClient,
} from './client';
import { validateJwksUri, validatePublicJwks } from './client-jwks';
import { CLIENT_REPOSITORY, type ClientRepository } from './client.repository.port';
import { SecretHasher } from '../client-auth/secret-hasher';
import { SecretVerificationCache } from '../client-auth/secret-verification-cache';
import { isResourceIndicator } from '../resources/resource-indicator';

export interface CreateClientInput extends Partial<Omit<NewClient, 'clientId' | 'jwks'>> {
  clientId: string;
  /** A JWK Set as read from a file: validated here (public keys only). */
  jwks?: unknown;
}

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
   * Registers a client and returns its secret — once, here; only its argon2id hash is stored. A
   * client that authenticates by private_key_jwt only gets no secret (`secret` undefined) and
   * must register `jwks` (public keys only) or `jwksUri`. Throws if the id is taken or the input
   * is invalid (the message says which part).
   */
  async create(input: CreateClientInput): Promise<{ client: RegisteredClient; secret?: string }> {
    const client = await this.validate(input);
    const secret = client.authMethods.some((m) => SECRET_AUTH_METHODS.includes(m)) ? ClientAdminService.generateSecret() : undefined;
    if (!(await this.clients.insertIfAbsent(client, secret === undefined ? null : await this.hasher.hash(secret)))) {
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

  /** Idempotent registration with a given secret, or none (the seed). True if it was created now. */
  async ensure(input: NewClient, secret: string | null): Promise<boolean> {
    const client = await this.validate(input);
    if (await this.clients.find(client.clientId)) return false;
    const created = await this.clients.insertIfAbsent(client, secret === null ? null : await this.hasher.hash(secret));
    if (created) await this.audit.record('client_created', client.clientId, { seeded: client.seeded ?? false });
    return created;
  }

  list(): Promise<RegisteredClient[]> {
    return this.clients.list();
  }

  /**
   * A new secret for the client. Without `graceSeconds` the old one stops working at once
   * everywhere (the bumped `secret_version` voids every cached verification, in this and any
   * other process). With it, the old one keeps working for that many seconds beside the new one
   * (two live secrets), so clients can be redeployed without a failed request.
   */
  async rotateSecret(clientId: string, graceSeconds = 0): Promise<string> {
    if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > 30 * 86_400) {
      throw new Error('grace: whole seconds, 0 to 2592000 (30 days)');
    }
    const existing = await this.clients.findWithSecretHash(clientId);
    if (!existing) throw new Error(`no client "${clientId}"`);
    if (graceSeconds > 0 && existing.secretHash === null)
      throw new Error(`client "${clientId}" has no secret to keep during a grace period`);
    const secret = ClientAdminService.generateSecret();
    const graceUntil = graceSeconds > 0 ? new Date(Date.now() + graceSeconds * 1000) : undefined;
    if (!(await this.clients.replaceSecret(clientId, await this.hasher.hash(secret), graceUntil))) {
      throw new Error(`no client "${clientId}"`);
    }
    this.cache.forget(clientId);
    await this.events?.publish({ kind: 'client', clientId }); // the other processes' caches (ADR 0011)
    await this.audit.record('client_secret_rotated', clientId, graceUntil ? { previousValidUntil: graceUntil.toISOString() } : {});
    return secret;
  }

  /**
   * Replaces the keys of a private_key_jwt client: a JWK Set (public keys only) or a `jwks_uri`.
   * The old keys stop working at once (the secret version is bumped with them).
   */
  async setKeys(clientId: string, keys: { jwks?: unknown; jwksUri?: string }): Promise<void> {
    const validated = await this.validateKeys(keys);
    if (!validated.jwks && !validated.jwksUri) throw new Error('keys: give --jwks <file> or --jwks-uri <url>');
    if (!(await this.clients.replaceKeys(clientId, { jwks: validated.jwks ?? null, jwksUri: validated.jwksUri ?? null }))) {
      throw new Error(`no client "${clientId}"`);
    }
    this.cache.forget(clientId);
    await this.events?.publish({ kind: 'client', clientId });
    await this.audit.record(
      'client_keys_replaced',
      clientId,
      validated.jwksUri ? { jwksUri: validated.jwksUri } : { kids: validated.jwks?.keys.map((k) => k['kid']) },
    );
  }

  async disable(clientId: string): Promise<void> {
    if (!(await this.clients.disable(clientId))) throw new Error(`no client "${clientId}"`);
    this.cache.forget(clientId);
    await this.events?.publish({ kind: 'client', clientId });
    await this.audit.record('client_disabled', clientId);
  }

  private async validateKeys(input: { jwks?: unknown; jwksUri?: string | null }): Promise<{ jwks?: PublicJwkSet; jwksUri?: string }> {
    if (input.jwks && input.jwksUri) throw new Error('keys: --jwks or --jwks-uri, not both (RFC 7591 §2)');
    if (input.jwks) return { jwks: await validatePublicJwks(input.jwks) };
    if (input.jwksUri) return { jwksUri: validateJwksUri(input.jwksUri, this.config.JWKS_URI_ALLOW_PRIVATE_ADDRESSES) };
    return {};
  }

  private async validate(input: CreateClientInput): Promise<NewClient> {
    const keys = await this.validateKeys(input);
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
      tokenSigningAlg: input.tokenSigningAlg ?? DEFAULT_SIGNING_ALG,
      jwks: keys.jwks ?? null,
      jwksUri: keys.jwksUri ?? null,
      seeded: input.seeded ?? false,
    };
    if (client.allowedResources?.some((r) => !isResourceIndicator(r))) {
      throw new Error('resources: absolute URIs without a fragment (RFC 8707 §2)');
    }
    if (!CLIENT_ID_PATTERN.test(client.clientId)) throw new Error('client id: 1-100 characters of A-Z a-z 0-9 . _ ~ -');
    if (!client.authMethods.length || client.authMethods.some((m) => !CLIENT_AUTH_METHODS.includes(m))) {
      throw new Error(`auth methods: one or more of ${CLIENT_AUTH_METHODS.join(', ')}`);
    }
    const usesKeys = client.authMethods.includes('private_key_jwt');
    if (usesKeys && !client.jwks && !client.jwksUri)
      throw new Error('private_key_jwt: register the public keys with --jwks <file> or --jwks-uri <url>');
    if (!usesKeys && (client.jwks || client.jwksUri)) throw new Error('keys are only for clients that authenticate by private_key_jwt');
    if (!isSigningAlg(client.tokenSigningAlg)) throw new Error(`alg: one of ${SIGNING_ALGS.join(', ')}`);
    if (!TOKEN_FORMATS.includes(client.tokenFormat)) throw new Error(`token format: one of ${TOKEN_FORMATS.join(', ')}`);
    if (client.scopes.some((s) => !isScopeToken(s))) throw new Error('scopes: RFC 6749 §3.3 scope tokens');
    if (!Number.isInteger(client.tokenLifetimeSeconds) || client.tokenLifetimeSeconds <= 0) {
      throw new Error('token lifetime: a positive number of seconds');
    }
    return client;
  }
}
