import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { isStorableText } from '@playground/database';
import { ClientEntity } from '../persistence/entities';
import type { ClientAuthMethodName, NewClient, RegisteredClient, TokenFormatName } from './client';
import type { ClientRepository } from './client.repository.port';

/** The `clients` table (TypeORM adapter of ClientRepository). */
@Injectable()
export class TypeOrmClientRepository implements ClientRepository {
  constructor(@InjectRepository(ClientEntity) private readonly clients: Repository<ClientEntity>) {}

  async findWithSecretHash(clientId: string) {
    if (!isStorableText(clientId)) return undefined; // a NUL byte or the like names no client
    const row = await this.clients.findOneBy({ clientId });
    return row ? { client: toClient(row), secretHash: row.secretHash } : undefined;
  }

  async find(clientId: string) {
    if (!isStorableText(clientId)) return undefined;
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

  async registeredScopes() {
    const rows: Array<{ scope: string }> = await this.clients.query(`SELECT DISTINCT unnest(scopes) AS scope FROM clients WHERE enabled ORDER BY scope`);
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
    enabled: row.enabled,
    secretVersion: row.secretVersion,
    seeded: row.seeded,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
