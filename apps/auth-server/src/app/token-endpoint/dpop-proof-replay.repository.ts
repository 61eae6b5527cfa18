import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/**
 * Persistence port for the single use of DPoP proofs at the token endpoint (RFC 9449 §11.1):
 * Postgres, so a proof accepted by one instance is refused by every other one (ADR 0008).
 */
export interface DpopProofReplayRepository {
  /** Records the proof key until `staleAt` (unix seconds). True the first time; false for a replay. */
  firstUse(key: Buffer, staleAt: number): Promise<boolean>;
  /** Drops the proofs that went stale before `now`. */
  purgeStale(now: number): Promise<void>;
}

export const DPOP_PROOF_REPLAY_REPOSITORY = Symbol('DPOP_PROOF_REPLAY_REPOSITORY');

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
