import { Injectable, Logger } from '@nestjs/common';
import { TokenClientError, describeError } from '@playground/token-client';
import { CountrySourceError, MsSystemCountriesClient } from '../countries/ms-system-countries.client';
import type { ArchiveRunEntity } from './archive-run.entity';
import { RunsRepository } from './runs.repository';
import { oauthTelemetry } from '@playground/telemetry';

/**
 * Executes one run: waits for the run lock (a run in progress elsewhere finishes first, nothing
 * fails), moves the run to `running` unless it is already done, reads every country page from
 * ms-system, then stores the snapshot and `succeeded` in one transaction, or records why it failed.
 */
@Injectable()
export class RunProcessor {
  private readonly logger = new Logger('ArchiveRun');

  constructor(
    private readonly runs: RunsRepository,
    private readonly countries: MsSystemCountriesClient,
  ) {}

  /**
   * At boot: if no instance holds the run lock, no run is in progress anywhere, so a `running` row
   * was left by an instance that died mid-run (SIGKILL, OOM): mark it failed now rather than at
   * the next run. If another instance holds the lock, it is running and the next holder decides.
   */
  async failInterruptedIfIdle(): Promise<number> {
    return (await this.runs.withRunLockIfFree((runner) => this.runs.failInterrupted(runner))) ?? 0;
  }

  async process(id: string): Promise<ArchiveRunEntity | undefined> {
    return this.runs.withRunLock(async (runner) => {
      const interrupted = await this.runs.failInterrupted(runner);
      if (interrupted) this.logger.warn(`${interrupted} run(s) left running by a stopped instance marked failed`);
      const run = await this.runs.start(runner, id);
      if (!run) {
        this.logger.log(`run ${id} is already done (or gone); nothing to do`);
        return undefined;
      }
      const startedAt = Date.now();
      this.logger.log(`run ${run.id} (${run.slot}) started`);
      try {
        const countries = await this.countries.fetchAll();
        const done = await this.runs.succeed(runner, run.id, countries);
        oauthTelemetry.archivalRunFinished('succeeded');
        this.logger.log(
          `run ${run.id} (${run.slot}) succeeded: ${done.countriesArchived} countries archived in ${Date.now() - startedAt} ms`,
        );
        return done;
      } catch (error) {
        const reason = failureReason(error);
        await this.runs.fail(runner, run.id, reason);
        oauthTelemetry.archivalRunFinished('failed');
        this.logger.warn(`run ${run.id} (${run.slot}) failed: ${reason}`);
        return undefined;
      }
    });
  }
}

/** What a failed run records: safe to show (no token, no secret), specific enough to act on. */
export function failureReason(error: unknown): string {
  if (error instanceof TokenClientError) return `could not get an access token: ${error.message}`;
  if (error instanceof CountrySourceError) return error.message;
  return `unexpected error: ${describeError(error)}`;
}
