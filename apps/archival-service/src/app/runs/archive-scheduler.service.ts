import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { ARCHIVAL_CONFIG, type ArchivalConfig } from '../config';
import { RunsService } from './runs.service';

export const ARCHIVE_JOB = 'archive-countries';

/**
 * Registers the archive cron job at boot from `ARCHIVAL_CRON` (a `@Cron()` decorator would fix
 * the expression at compile time). Times are UTC so that every instance names the same slots.
 */
@Injectable()
export class ArchiveScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('ArchiveScheduler');

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly runs: RunsService,
    @Inject(ARCHIVAL_CONFIG) private readonly config: ArchivalConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.cron) {
      this.logger.log('schedule off (ARCHIVAL_CRON=off): runs start only through POST /runs');
      return;
    }
    const job = CronJob.from({
      cronTime: this.config.cron,
      timeZone: 'UTC',
      start: false,
      onTick: () => {
        this.runs
          .triggerScheduled(new Date())
          .catch((error: unknown) => this.logger.error(`scheduled run not created: ${(error as Error)?.message}`));
      },
    });
    // The registry stops the job at shutdown.
    this.registry.addCronJob(ARCHIVE_JOB, job);
    job.start();
    this.logger.log(`archiving on schedule "${this.config.cron}" (UTC), next run at ${job.nextDate().toISO()}`);
  }
}
