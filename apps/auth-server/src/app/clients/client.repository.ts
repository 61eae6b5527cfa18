import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { batchWhileBusy, isStorableText } from '@playground/database';
import { ClientEntity } from '../persistence/entities';
import type { SigningAlg } from '../keys/signing-algorithms';
import type { ClientAuthMethodName, NewClient, PublicJwkSet, RegisteredClient, TokenFormatName } from './client';
import type { ClientRepository } from './client.repository.port';

/** The `clients` table (TypeORM adapter of ClientRepository). */
@Injectable()
export class TypeOrmClientRepository implements ClientRepository {
  constructor(@InjectRepository(ClientEntity) private readonly clients: Repository<ClientEntity>) {}

  /**
   * Client authentication reads its client on every private_key_jwt request and every secret
   * check the verification cache cannot answer: concurrent reads go out as one statement
   * (`client_id IN (…)`, each id once), like the token inserts (ADR 0012).
   */
  private readonly onFile = batchWhileBusy<string, ClientEntity | null>(
    async (ids) => {
      const rows = await this.clients.findBy({ clientId: In([...new Set(ids)]) });
      const byId = new Map(rows.map((row) => [row.clientId, row]));
      return ids.map((id) => byId.get(id) ?? null);
    },
    { name: 'auth-server.clients.findWithSecretHash', maxBatchSize: 200, maxInFlight: 2 },
  );

  async findWithSecretHash(clientId: string) {
    if (!isStorableText(clientId)) return undefined; // a NUL byte or the like names no client
    const row = await this.onFile.load(clientId);
    if (!row) return undefined;
    const graceOpen = row.previousSecretHash && row.previousSecretExpiresAt && row.previousSecretExpiresAt.getTime() > Date.now();
    return {
      client: toClient(row),
      secretHash: row.secretHash,
      ...(graceOpen
        ? { previousSecretHash: row.previousSecretHash as string, previousSecretExpiresAt: row.previousSecretExpiresAt as Date }
        : {}),
    };
  }

  async find(clientId: string) {
    if (!isStorableText(clientId)) return undefined;
    const row = await this.clients.findOneBy({ clientId });
    return row ? toClient(row) : undefined;
  }

  async list() {
    return (await this.clients.find({ order: { clientId: 'ASC' } })).map(toClient);
  }

  async insertIfAbsent(client: NewClient, secretHash: string | null) {
    const result = await this.clients
      .createQueryBuilder()
      .insert()
      // jsonb `jwks` holds free-form JWK members, which TypeORM's deep-partial type cannot express.
      .values({ ...client, seeded: client.seeded ?? false, secretHash } as QueryDeepPartialEntity<ClientEntity>)
      .orIgnore()
      .returning('client_id')
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  async replaceSecret(clientId: string, secretHash: string, graceUntil?: Date) {
    const result = await this.clients
      .createQueryBuilder()
      .update()
      .set({
        secretHash,
        secretVersion: () => 'secret_version + 1',
        // The hash being replaced, read by the same UPDATE: no window where neither works.
        previousSecretHash: graceUntil ? () => 'secret_hash' : null,
        previousSecretExpiresAt: graceUntil ?? null,
      })
      .where('client_id = :clientId', { clientId })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  async replaceKeys(clientId: string, keys: { jwks: PublicJwkSet | null; jwksUri: string | null }) {
    const result = await this.clients
      .createQueryBuilder()
      .update()
      .set({ jwks: keys.jwks, jwksUri: keys.jwksUri, secretVersion: () => 'secret_version + 1' } as QueryDeepPartialEntity<ClientEntity>)
      .where('client_id = :clientId', { clientId })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  async disable(clientId: string) {
    const result = await this.clients.update({ clientId }, { enabled: false });
    return (result.affected ?? 0) > 0;
  }

  async registeredScopes() {
    const rows: Array<{ scope: string }> = await this.clients.query(
      `SELECT DISTINCT unnest(scopes) AS scope FROM clients WHERE enabled ORDER BY scope`,
    );
    return rows.map((row) => row.scope);
  }
}

function toClient(row: ClientEntity): RegisteredClient {
  return {
    clientId: row.clientId,
    authMethods: row.authMethods as ClientAuthMethodName[],
    grantTypes: row.grantTypes,
    tokenFormat: row.tokenFormat as TokenFormatName,
    scopes: row.scopes,
    mayIntrospect: row.mayIntrospect,
    tokenLifetimeSeconds: row.tokenLifetimeSeconds,
    allowedResources: row.allowedResources ?? null,
    requireDpop: row.requireDpop ?? false,
    tokenSigningAlg: row.tokenSigningAlg as SigningAlg,
    jwks: row.jwks,
    jwksUri: row.jwksUri,
    enabled: row.enabled,
    secretVersion: row.secretVersion,
    seeded: row.seeded,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
