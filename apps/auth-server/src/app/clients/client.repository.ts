import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ClientEntity } from '../persistence/entities';
import type { ClientAuthMethodName, NewClient, RegisteredClient, TokenFormatName } from './client';

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
}

export const CLIENT_REPOSITORY = Symbol('CLIENT_REPOSITORY');

@Injectable()
export class TypeOrmClientRepository implements ClientRepository {
  constructor(@InjectRepository(ClientEntity) private readonly clients: Repository<ClientEntity>) {}

  async findWithSecretHash(clientId: string) {
    const row = await this.clients.findOneBy({ clientId });
    return row ? { client: toClient(row), secretHash: row.secretHash } : undefined;
  }

  async find(clientId: string) {
    const row = await this.clients.findOneBy({ clientId });
    return row ? toClient(row) : undefined;
  }

  async list() {
    return (await this.clients.find({ order: { clientId: 'ASC' } })).map(toClient);
  }

  async insertIfAbsent(client: NewClient, secretHash: string) {
    const result = await this.clients
      .createQueryBuilder()
      .insert()
      .values({ ...client, seeded: client.seeded ?? false, secretHash })
      .orIgnore()
      .returning('client_id')
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  async replaceSecret(clientId: string, secretHash: string) {
    const result = await this.clients
      .createQueryBuilder()
      .update()
      .set({ secretHash, secretVersion: () => 'secret_version + 1' })
      .where('client_id = :clientId', { clientId })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  async disable(clientId: string) {
    const result = await this.clients.update({ clientId }, { enabled: false });
    return (result.affected ?? 0) > 0;
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
    enabled: row.enabled,
    secretVersion: row.secretVersion,
    seeded: row.seeded,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
