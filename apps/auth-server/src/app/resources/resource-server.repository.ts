import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ResourceServerRepository } from './resource-server.repository.port';

/** The registered resource servers in Postgres (adapter of ResourceServerRepository). */
@Injectable()
export class PostgresResourceServerRepository implements ResourceServerRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(resource: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `INSERT INTO resource_servers (resource) VALUES ($1) ON CONFLICT DO NOTHING RETURNING resource`,
      [resource],
    );
    return rows.length > 0;
  }

  async list(): Promise<string[]> {
    const rows: Array<{ resource: string }> = await this.db.query(`SELECT resource FROM resource_servers ORDER BY resource`);
    return rows.map((row) => row.resource);
  }
}
