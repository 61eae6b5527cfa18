import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { batchWhileBusy, firstOccurrences, pgPoolOf } from '@playground/database';
import type { DpopProofReplayRepository } from './dpop-proof-replay.repository.port';

/** The token endpoint's spent DPoP proofs in Postgres, UNLOGGED table (adapter of DpopProofReplayRepository). */
@Injectable()
export class PostgresDpopProofReplayRepository implements DpopProofReplayRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Concurrent proofs are recorded in one statement (ADR 0012): one round trip for many token
   * requests instead of one each.
   */
  private readonly uses = batchWhileBusy<{ key: Buffer; staleAt: number }, boolean>((batch) => this.firstUseBatch(batch), {
    name: 'auth-server.dpop-proofs.firstUse',
    maxBatchSize: 200,
    maxInFlight: 2,
  });

  firstUse(key: Buffer, staleAt: number): Promise<boolean> {
    return this.uses.load({ key, staleAt });
  }

  /**
   * The primary key decides, atomically across instances; the table is UNLOGGED (no WAL flush).
   * The same key twice in one batch is one row: the first caller may have it, the others are
   * replays.
   */
  private async firstUseBatch(batch: ReadonlyArray<{ key: Buffer; staleAt: number }>): Promise<boolean[]> {
    const { unique, isFirst } = firstOccurrences(batch, ({ key }) => key.toString('hex'));
    const { rows } = await pgPoolOf(this.db).query<{ jti_hash: Buffer }>({
      name: 'auth_server_first_use_dpop_proofs',
      text: `INSERT INTO dpop_proofs (jti_hash, expires_at)
             SELECT * FROM unnest($1::bytea[], $2::bigint[])
             ON CONFLICT DO NOTHING RETURNING jti_hash`,
      values: [unique.map((u) => u.key), unique.map((u) => u.staleAt)],
    });
    const recorded = new Set(rows.map((row) => row.jti_hash.toString('hex')));
    return batch.map(({ key }, i) => isFirst[i] === true && recorded.has(key.toString('hex')));
  }

  async purgeStale(now: number): Promise<void> {
    await this.db.query(`DELETE FROM dpop_proofs WHERE expires_at < $1`, [now]);
  }
}
