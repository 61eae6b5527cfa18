import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The archive's two tables, in the service's own schema (search_path = archival).
 *
 * - `archive_runs.slot` is UNIQUE: a schedule slot (`cron:<instant>`) or a manual trigger
 *   (`manual:<uuid>`) can exist once, however many instances or retries ask for it.
 * - `archived_countries` has one row per (run, code): a re-processed run cannot store a
 *   country twice.
 */
export class CreateArchiveTables1763892000000 implements MigrationInterface {
  name = 'CreateArchiveTables1763892000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE archive_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slot text NOT NULL,
        status text NOT NULL DEFAULT 'queued',
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        countries_archived integer NOT NULL DEFAULT 0,
        error text,
        CONSTRAINT archive_runs_slot_key UNIQUE (slot),
        CONSTRAINT archive_runs_status_check CHECK (status IN ('queued', 'running', 'succeeded', 'failed'))
      )`);
    await runner.query(`CREATE INDEX archive_runs_created_at_idx ON archive_runs (created_at DESC)`);
    await runner.query(`
      CREATE TABLE archived_countries (
        run_id uuid NOT NULL REFERENCES archive_runs (id) ON DELETE CASCADE,
        code text NOT NULL,
        name text NOT NULL,
        CONSTRAINT archived_countries_run_id_code_key PRIMARY KEY (run_id, code)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE archived_countries`);
    await runner.query(`DROP TABLE archive_runs`);
  }
}
