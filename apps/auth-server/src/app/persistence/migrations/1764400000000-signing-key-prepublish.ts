import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Key rollover without a rejection window (docs/contract.md, "Tokens"): a rotated-in key
 * is first `next` — published in the JWKS, not yet signing — until `activates_at`, when the
 * first server to look promotes it to `active` and retires the old one. At most one `next` key
 * per algorithm.
 */
export class SigningKeyPrepublish1764400000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE signing_keys DROP CONSTRAINT IF EXISTS signing_keys_status_check`);
    await q.query(`ALTER TABLE signing_keys ADD CONSTRAINT signing_keys_status_check CHECK (status IN ('next', 'active', 'retired'))`);
    await q.query(`ALTER TABLE signing_keys ADD COLUMN activates_at timestamptz`);
    await q.query(
      `ALTER TABLE signing_keys ADD CONSTRAINT signing_keys_next_has_time CHECK (status <> 'next' OR activates_at IS NOT NULL)`,
    );
    await q.query(`CREATE UNIQUE INDEX signing_keys_one_next ON signing_keys (alg) WHERE status = 'next'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM signing_keys WHERE status = 'next'`);
    await q.query(`DROP INDEX signing_keys_one_next`);
    await q.query(`ALTER TABLE signing_keys DROP CONSTRAINT signing_keys_next_has_time`);
    await q.query(`ALTER TABLE signing_keys DROP COLUMN activates_at`);
    await q.query(`ALTER TABLE signing_keys DROP CONSTRAINT signing_keys_status_check`);
    await q.query(`ALTER TABLE signing_keys ADD CONSTRAINT signing_keys_status_check CHECK (status IN ('active', 'retired'))`);
  }
}
