import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { pgPoolOf } from '@playground/database';
import type { AssertionReplayRepository } from './assertion-replay.repository.port';

/** How often, at most, a `use` also purges expired rows (the table stays ~ one 5-minute window). */
const PURGE_EVERY_MS = 60_000;

/** The `client_assertion_jtis` table (Postgres adapter of AssertionReplayRepository). */
@Injectable()
export class PostgresAssertionReplayRepository implements AssertionReplayRepository {
  private readonly logger = new Logger('AssertionReplay');
  private lastPurge = 0;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async use(clientId: string, jti: string, expiresAt: number, now = Math.floor(Date.now() / 1000)): Promise<boolean> {
    // One statement decides: a new jti inserts; a jti whose earlier use has expired (not yet
    // purged) is taken over; a live one conflicts and returns no row — that is the replay.
    // A named prepared statement on the DataSource's pg pool (as the token insert, ADR 0006): it is
    // on every private_key_jwt request, so each connection plans it once.
    const { rows } = await pgPoolOf(this.db).query({
      name: 'auth_server_use_assertion_jti',
      text: `INSERT INTO client_assertion_jtis (client_id, jti, expires_at) VALUES ($1::text, $2::text, $3::bigint)
             ON CONFLICT (client_id, jti) DO UPDATE SET expires_at = EXCLUDED.expires_at
               WHERE client_assertion_jtis.expires_at < $4::bigint
             RETURNING 1`,
      values: [clientId, jti, expiresAt, now],
    });
    if (Date.now() - this.lastPurge > PURGE_EVERY_MS) {
      this.lastPurge = Date.now();
      // In the background: the request that triggers it does not wait for it.
      this.purgeExpired(now).catch((error: Error) => this.logger.warn(`purging used assertion ids failed: ${error.message}`));
    }
    return rows.length === 1;
  }

  async purgeExpired(now = Math.floor(Date.now() / 1000)): Promise<number> {
    const [, affected] = (await this.db.query(`DELETE FROM client_assertion_jtis WHERE expires_at < $1`, [now])) as [unknown, number];
    return affected ?? 0;
  }
}
