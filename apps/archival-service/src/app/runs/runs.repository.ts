import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, QueryRunner } from 'typeorm';
import { ArchiveRunEntity } from './archive-run.entity';

export interface ArchivedCountry {
  code: string;
  name: string;
}

interface RunRow {
  id: string;
  slot: string;
  status: ArchiveRunEntity['status'];
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  countries_archived: number;
  error: string | null;
}

const RUN_COLUMNS = 'id, slot, status, created_at, started_at, finished_at, countries_archived, error';

/**
 * Key of the session-level advisory lock that serialises runs across every instance sharing the
 * database. `hashtext` keeps it readable; the namespace makes a clash with another service's
 * advisory locks in the same database practically impossible.
 */
const RUN_LOCK_SQL = `hashtext('archival-service:archive-run')`;

/**
 * Persistence of archive runs. Idempotency lives in Postgres, not in memory: the UNIQUE slot
 * makes creating a run `INSERT … ON CONFLICT DO NOTHING`, every status change is a conditional
 * UPDATE, and the snapshot insert skips (run, code) pairs that already exist.
 */
@Injectable()
export class RunsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Runs `work` on one dedicated connection holding the run lock: a session-level advisory lock
   * belongs to the connection that took it, so every statement of the run goes through `runner`.
   * A run in progress elsewhere finishes first; nothing fails.
   */
  async withRunLock<T>(work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    const lockWhenFree = async (runner: QueryRunner) => {
      await runner.query(`SELECT pg_advisory_lock(${RUN_LOCK_SQL})`);
      return true;
    };
    // pg_advisory_lock waits rather than fails, so `work` always runs: never undefined here.
    return (await this.holdingRunLock(lockWhenFree, work)) as T;
  }

  /**
   * Like withRunLock, but only if the lock is free now (`pg_try_advisory_lock`): undefined, and
   * `work` not run, when another instance holds it (a run is in progress there).
   */
  async withRunLockIfFree<T>(work: (runner: QueryRunner) => Promise<T>): Promise<T | undefined> {
    const lockIfFree = async (runner: QueryRunner) => {
      const [{ locked }]: Array<{ locked: boolean }> = await runner.query(`SELECT pg_try_advisory_lock(${RUN_LOCK_SQL}) AS locked`);
      return locked;
    };
    return this.holdingRunLock(lockIfFree, work);
  }

  /**
   * The one place that takes a dedicated connection, asks `lock` for the run lock on it, runs
   * `work` while it is held, then unlocks and releases the connection whatever happened.
   * Undefined, and `work` not run, when `lock` answers false.
   */
  private async holdingRunLock<T>(
    lock: (runner: QueryRunner) => Promise<boolean>,
    work: (runner: QueryRunner) => Promise<T>,
  ): Promise<T | undefined> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      if (!(await lock(runner))) return undefined;
      try {
        return await work(runner);
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(${RUN_LOCK_SQL})`).catch(() => undefined);
      }
    } finally {
      await runner.release();
    }
  }

  /** The run of `slot`, created as `queued` unless it already exists. */
  async createIfAbsent(slot: string): Promise<{ run: ArchiveRunEntity; created: boolean }> {
    const inserted = await this.rows(`INSERT INTO archive_runs (slot) VALUES ($1) ON CONFLICT (slot) DO NOTHING RETURNING ${RUN_COLUMNS}`, [
      slot,
    ]);
    if (inserted[0]) return { run: toEntity(inserted[0]), created: true };
    const existing = await this.findBySlot(slot);
    if (!existing) throw new Error(`run for slot ${slot} vanished`); // deleted concurrently; not expected
    return { run: existing, created: false };
  }

  /** A failed run of `slot` goes back to `queued` for another attempt; others are left alone. */
  async requeueFailed(slot: string): Promise<ArchiveRunEntity | undefined> {
    const rows = await this.rows(
      `UPDATE archive_runs SET status = 'queued', started_at = NULL, finished_at = NULL, error = NULL
        WHERE slot = $1 AND status = 'failed' RETURNING ${RUN_COLUMNS}`,
      [slot],
    );
    return rows[0] ? toEntity(rows[0]) : undefined;
  }

  async findById(id: string): Promise<ArchiveRunEntity | undefined> {
    const rows = await this.rows(`SELECT ${RUN_COLUMNS} FROM archive_runs WHERE id = $1`, [id]);
    return rows[0] ? toEntity(rows[0]) : undefined;
  }

  async findBySlot(slot: string): Promise<ArchiveRunEntity | undefined> {
    const rows = await this.rows(`SELECT ${RUN_COLUMNS} FROM archive_runs WHERE slot = $1`, [slot]);
    return rows[0] ? toEntity(rows[0]) : undefined;
  }

  /** Latest first. */
  async list(limit: number): Promise<ArchiveRunEntity[]> {
    const rows = await this.rows(`SELECT ${RUN_COLUMNS} FROM archive_runs ORDER BY created_at DESC, slot DESC LIMIT $1`, [limit]);
    return rows.map(toEntity);
  }

  async queuedIds(): Promise<string[]> {
    const rows = await this.rows<{ id: string }>(`SELECT id FROM archive_runs WHERE status = 'queued' ORDER BY created_at`, []);
    return rows.map((row) => row.id);
  }

  // --- under the run lock, on the lock's own connection ---------------------------------------

  /**
   * Only the holder of the run lock ever sets `running`, so a `running` row seen by the next
   * holder was left by an instance that died mid-run.
   */
  async failInterrupted(runner: QueryRunner): Promise<number> {
    const result = await runner.query(
      `UPDATE archive_runs SET status = 'failed', finished_at = now(),
              error = 'interrupted: the instance running it stopped before it finished'
        WHERE status = 'running'`,
      [],
      true,
    );
    return result.affected ?? 0;
  }

  /** queued/failed → running; undefined when the run is already done (a duplicate) or gone. */
  async start(runner: QueryRunner, id: string): Promise<ArchiveRunEntity | undefined> {
    const result = await runner.query(
      `UPDATE archive_runs SET status = 'running', started_at = now(), finished_at = NULL, error = NULL
        WHERE id = $1 AND status IN ('queued', 'failed') RETURNING ${RUN_COLUMNS}`,
      [id],
      true,
    );
    const rows = result.records as RunRow[];
    return rows[0] ? toEntity(rows[0]) : undefined;
  }

  /** Stores the snapshot and marks the run succeeded, in one transaction. */
  async succeed(runner: QueryRunner, id: string, countries: ArchivedCountry[]): Promise<ArchiveRunEntity> {
    await runner.startTransaction();
    try {
      await runner.query(
        `INSERT INTO archived_countries (run_id, code, name)
         SELECT $1, code, name FROM unnest($2::text[], $3::text[]) AS snapshot (code, name)
         ON CONFLICT (run_id, code) DO NOTHING`,
        [id, countries.map((c) => c.code), countries.map((c) => c.name)],
      );
      const result = await runner.query(
        `UPDATE archive_runs SET status = 'succeeded', finished_at = now(), error = NULL,
                countries_archived = (SELECT count(*) FROM archived_countries WHERE run_id = $1)
          WHERE id = $1 RETURNING ${RUN_COLUMNS}`,
        [id],
        true,
      );
      await runner.commitTransaction();
      return toEntity((result.records as RunRow[])[0]);
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    }
  }

  async fail(runner: QueryRunner, id: string, reason: string): Promise<void> {
    await runner.query(`UPDATE archive_runs SET status = 'failed', finished_at = now(), error = $2 WHERE id = $1`, [
      id,
      reason.slice(0, 2000),
    ]);
  }

  /** Rows of any statement (TypeORM's plain `query` returns `[rows, count]` for UPDATE … RETURNING). */
  private async rows<T = RunRow>(sql: string, parameters: unknown[]): Promise<T[]> {
    const runner = this.db.createQueryRunner();
    try {
      return (await runner.query(sql, parameters, true)).records as T[];
    } finally {
      await runner.release();
    }
  }
}

function toEntity(row: RunRow): ArchiveRunEntity {
  return Object.assign(new ArchiveRunEntity(), {
    id: row.id,
    slot: row.slot,
    status: row.status,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    countriesArchived: row.countries_archived,
    error: row.error,
  });
}
