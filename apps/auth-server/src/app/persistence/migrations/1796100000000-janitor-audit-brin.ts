import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The janitor's audit retention (ADR 0009) deletes `audit_log` rows by age. A BRIN index on
 * `at` finds them without a full scan and costs a token issue (which writes an audit row) next
 * to nothing: it stores a min/max per range of table pages, and rows are appended in time order.
 * A btree on `at` would add a full index insert per token.
 */
export class JanitorAuditBrin1796100000000 implements MigrationInterface {
  name = 'JanitorAuditBrin1796100000000';

  async up(q: QueryRunner): Promise<void> {
    // autosummarize: new page ranges are summarised as they fill, not only at VACUUM.
    await q.query(`CREATE INDEX audit_log_at_brin ON audit_log USING brin (at) WITH (autosummarize = on)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_log_at_brin`);
  }
}
