import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** Persistence port for the registered resource servers (RFC 8707 resource indicators). */
export interface ResourceServerRepository {
  /** Inserts unless present; true if it was new. */
  insert(resource: string): Promise<boolean>;
  /** Every registered resource indicator. */
  list(): Promise<string[]>;
}

export const RESOURCE_SERVER_REPOSITORY = Symbol('RESOURCE_SERVER_REPOSITORY');

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
