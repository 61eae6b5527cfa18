import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { JanitorBatchResult, JanitorCutoffs, JanitorRepository } from './janitor.repository.port';

/** Any constant distinct from the other advisory locks of this schema (7009: revocation feed). */
const JANITOR_LOCK = 7014;

/**
 * The janitor's deletes in Postgres. Each is `DELETE … WHERE key IN (SELECT key … LIMIT n)`:
 * bounded, driven by an index (`tokens_exp`, `revocations_exp`, `client_assertion_jtis_expires_at`,
 * `dpop_proofs_expires_at`, `audit_log_at_brin`), so a
 * batch holds its row locks for milliseconds, never a table lock.
 */
@Injectable()
export class TypeOrmJanitorRepository implements JanitorRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async deleteBatch({ expiredBefore, auditBefore, limit }: JanitorCutoffs): Promise<JanitorBatchResult> {
    return this.db.transaction(async (tx) => {
      const count = async (sql: string, params: unknown[]) => {
        // Wrapped in a SELECT: TypeORM returns [rows, count] for a bare DELETE.
        const rows: Array<{ n: number }> = await tx.query(`WITH d AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM d`, params);
        return rows[0].n;
      };
      const [{ acquired }]: Array<{ acquired: boolean }> = await tx.query(`SELECT pg_try_advisory_xact_lock($1) AS acquired`, [
        JANITOR_LOCK,
      ]);
      if (!acquired) return { acquired: false, tokens: 0, revocations: 0, replayEntries: 0, auditEvents: 0 };
      // Feed rows first: `revocations.jti` references `tokens`. A feed row has its token's exp,
      // so a resource server polling the feed only ever misses revocations of expired tokens.
      // SKIP LOCKED: a row a revocation is writing right now is left for the next batch.
      const revocations = await count(
        `DELETE FROM revocations WHERE id IN (
           SELECT id FROM revocations WHERE exp < $1 ORDER BY exp LIMIT $2 FOR UPDATE SKIP LOCKED)`,
        [expiredBefore, limit],
      );
      const tokens = await count(
        `DELETE FROM tokens WHERE jti IN (
           SELECT t.jti FROM tokens t
            WHERE t.exp < $1 AND NOT EXISTS (SELECT 1 FROM revocations r WHERE r.jti = t.jti)
            ORDER BY t.exp LIMIT $2 FOR UPDATE SKIP LOCKED)`,
        [expiredBefore, limit],
      );
      // Spent assertion jtis: once past their expiry the assertion is refused by its `exp` anyway
      // (and a late duplicate takes the row over, see the assertion replay repository).
      const replayEntries = await count(
        `DELETE FROM client_assertion_jtis WHERE (client_id, jti) IN (
           SELECT client_id, jti FROM client_assertion_jtis WHERE expires_at < $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
        [expiredBefore, limit],
      );
      // Spent DPoP proof jtis of the token endpoint (RFC 9449 §11.1): stale by their `iat` window anyway.
      const dpopProofs = await count(
        `DELETE FROM dpop_proofs WHERE jti_hash IN (
           SELECT jti_hash FROM dpop_proofs WHERE expires_at < $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
        [expiredBefore, limit],
      );
      // Audit rows by age, through the BRIN index on `at` (tiny, nearly free on insert).
      const auditEvents = auditBefore
        ? await count(`DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < $1 LIMIT $2)`, [auditBefore, limit])
        : 0;
      return { acquired: true, tokens, revocations, replayEntries: replayEntries + dpopProofs, auditEvents };
    });
  }
}
