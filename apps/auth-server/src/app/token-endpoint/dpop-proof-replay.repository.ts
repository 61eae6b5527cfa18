import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { DpopProofReplayRepository } from './dpop-proof-replay.repository.port';

/** The token endpoint's spent DPoP proofs in Postgres, UNLOGGED table (adapter of DpopProofReplayRepository). */
@Injectable()
export class PostgresDpopProofReplayRepository implements DpopProofReplayRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async firstUse(key: Buffer, staleAt: number): Promise<boolean> {
    // The primary key decides, atomically across instances; the table is UNLOGGED (no WAL flush).
    const rows: unknown[] = await this.db.query(
      `INSERT INTO dpop_proofs (jti_hash, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING expires_at`,
      [key, staleAt],
    );
    return rows.length === 1;
  }

  async purgeStale(now: number): Promise<void> {
    await this.db.query(`DELETE FROM dpop_proofs WHERE expires_at < $1`, [now]);
  }
}
