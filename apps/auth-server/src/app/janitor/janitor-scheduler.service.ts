import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { AUTH_SERVER_CONFIG, type AuthServerConfig } from '../config';
import { JanitorService } from './janitor.service';

export const JANITOR_JOB = 'janitor';

/**
 * Runs the janitor on `JANITOR_CRON` (UTC), registered at boot because the expression comes
 * from the environment. A tick while the previous sweep still runs is skipped; other instances
 * are kept out by the repository's advisory lock.
 */
@Injectable()
export class JanitorScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('Janitor');
  private running: Promise<void> | undefined;

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly janitor: JanitorService,
    @Inject(AUTH_SERVER_CONFIG) private readonly config: AuthServerConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.JANITOR_CRON) {
      this.logger.log('janitor off (JANITOR_CRON=off): `npm run clients -- janitor` deletes expired rows');
      return;
    }
    const job = CronJob.from({ cronTime: this.config.JANITOR_CRON, timeZone: 'UTC', start: false, onTick: () => void this.tick() });
    this.registry.addCronJob(JANITOR_JOB, job); // the registry stops it at shutdown
    job.start();
  }

  /** One scheduled sweep; resolves when done (never rejects: a failed sweep is retried next tick). */
  tick(): Promise<void> {
    this.running ??= this.janitor
      .sweep()
      .then((report) => {
        if (report.tokens + report.revocations + report.replayEntries + report.auditEvents > 0) {
          this.logger.log(
            `deleted ${report.tokens} tokens, ${report.revocations} revocations, ${report.replayEntries} assertion jtis, ${report.auditEvents} audit rows in ${report.batches} batches`,
          );
        }
      })
      .catch((error: unknown) => this.logger.warn(`sweep failed, retried next tick: ${(error as Error)?.message}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
