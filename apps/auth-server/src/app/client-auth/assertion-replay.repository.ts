import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { batchWhileBusy, firstOccurrences, pgPoolOf } from '@playground/database';
import type { AssertionReplayRepository } from './assertion-replay.repository.port';

/** How often, at most, a `use` also purges expired rows (the table stays ~ one 5-minute window). */
const PURGE_EVERY_MS = 60_000;

interface AssertionUse {
  clientId: string;
  jti: string;
  /** Unix seconds. */
  expiresAt: number;
  /** Unix seconds. */
  now: number;
}

/** A jti is single-use per client. */
const useId = ({ clientId, jti }: Pick<AssertionUse, 'clientId' | 'jti'>): string => `${clientId}\0${jti}`;

/** The `client_assertion_jtis` table (Postgres adapter of AssertionReplayRepository). */
@Injectable()
export class PostgresAssertionReplayRepository implements AssertionReplayRepository {
  private readonly logger = new Logger('AssertionReplay');
  private lastPurge = 0;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Group commit (as the token inserts, ADR 0012): concurrent uses become one statement and one
   * commit; each caller is answered after it. One insert per private_key_jwt request was a
   * durable commit of its own.
   */
  private readonly uses = batchWhileBusy<AssertionUse, boolean>((batch) => this.useBatch(batch), {
    name: 'auth-server.assertion-jtis.use',
    maxBatchSize: 200,
    maxInFlight: 2,
  });

  async use(clientId: string, jti: string, expiresAt: number, now = Math.floor(Date.now() / 1000)): Promise<boolean> {
    const first = await this.uses.load({ clientId, jti, expiresAt, now });
    if (Date.now() - this.lastPurge > PURGE_EVERY_MS) {
      this.lastPurge = Date.now();
      // In the background: the request that triggers it does not wait for it.
      this.purgeExpired(now).catch((error: Error) => this.logger.warn(`purging used assertion ids failed: ${error.message}`));
    }
    return first;
  }

  /**
   * One statement decides for the whole batch: a new jti inserts; a jti whose earlier use has
   * expired (not yet purged) is taken over; a live one conflicts and returns no row — that is the
   * replay. The same (client_id, jti) twice in one batch goes into the statement once (Postgres
   * refuses to update one row twice in a statement): the first caller may win, the others are
   * replays. A named prepared statement: each connection plans it once.
   */
  private async useBatch(batch: readonly AssertionUse[]): Promise<boolean[]> {
    const { unique, isFirst } = firstOccurrences(batch, useId);
    const { rows } = await pgPoolOf(this.db).query<{ client_id: string; jti: string }>({
      name: 'auth_server_use_assertion_jtis_v2',
      text: `INSERT INTO client_assertion_jtis (client_id, jti, expires_at)
             SELECT u.client_id, u.jti, u.expires_at FROM unnest($1::text[], $2::text[], $3::bigint[]) AS u(client_id, jti, expires_at)
             ON CONFLICT (client_id, jti) DO UPDATE SET expires_at = EXCLUDED.expires_at
               WHERE client_assertion_jtis.expires_at < $4::bigint
             RETURNING client_id, jti`,
      values: [
        unique.map((u) => u.clientId),
        unique.map((u) => u.jti),
        unique.map((u) => u.expiresAt),
        Math.min(...unique.map((u) => u.now)),
      ],
    });
    const recorded = new Set(rows.map((row) => useId({ clientId: row.client_id, jti: row.jti })));
    return batch.map((use, i) => isFirst[i] === true && recorded.has(useId(use)));
  }

  async purgeExpired(now = Math.floor(Date.now() / 1000)): Promise<number> {
    const [, affected] = (await this.db.query(`DELETE FROM client_assertion_jtis WHERE expires_at < $1`, [now])) as [unknown, number];
    return affected ?? 0;
  }
}
