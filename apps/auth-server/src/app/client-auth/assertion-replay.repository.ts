import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/**
 * Persistence port for the single use of client assertion `jti`s (RFC 7523 §3 item 7). Postgres,
 * not memory, so that an assertion accepted by one instance is refused by every other one
 * (docs/adr/0007-private-key-jwt-and-signing-keys.md).
 */
export interface AssertionReplayRepository {
  /**
   * Records `jti` of `clientId` as used until `expiresAt` (unix seconds). True the first time;
   * false if it was already used and has not expired (a replay). Atomic across instances.
   */
  use(clientId: string, jti: string, expiresAt: number, now?: number): Promise<boolean>;
  /** Drops the rows that expired before `now`; returns how many. */
  purgeExpired(now?: number): Promise<number>;
}

export const ASSERTION_REPLAY_REPOSITORY = Symbol('ASSERTION_REPLAY_REPOSITORY');

/** How often, at most, a `use` also purges expired rows (the table stays ~ one 5-minute window). */
const PURGE_EVERY_MS = 60_000;

@Injectable()
export class PostgresAssertionReplayRepository implements AssertionReplayRepository {
  private readonly logger = new Logger('AssertionReplay');
  private lastPurge = 0;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async use(clientId: string, jti: string, expiresAt: number, now = Math.floor(Date.now() / 1000)): Promise<boolean> {
    // One statement decides: a new jti inserts; a jti whose earlier use has expired (not yet
    // purged) is taken over; a live one conflicts and returns no row — that is the replay.
    const rows: unknown[] = await this.db.query(
      `INSERT INTO client_assertion_jtis (client_id, jti, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (client_id, jti) DO UPDATE SET expires_at = EXCLUDED.expires_at
         WHERE client_assertion_jtis.expires_at < $4
       RETURNING 1`,
      [clientId, jti, expiresAt, now],
    );
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
