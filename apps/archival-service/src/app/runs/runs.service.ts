import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ArchiveRunEntity } from './archive-run.entity';
import { RunProcessor } from './run-processor.service';
import { RunsRepository } from './runs.repository';
import { manualSlot, scheduleSlot } from './schedule-slot';
import { inSpan } from '@playground/telemetry';

export interface TriggerResult {
  run: ArchiveRunEntity;
  /** false when the slot's run already exists and is not failed: nothing new happens. */
  accepted: boolean;
}

/**
 * Creates runs (one per slot, in Postgres) and processes them in the background, one at a time
 * per instance; the advisory lock in {@link RunProcessor} serialises instances.
 */
@Injectable()
export class RunsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Runs');
  private queue: Promise<unknown> = Promise.resolve();
  private closing = false;

  constructor(
    private readonly runs: RunsRepository,
    private readonly processor: RunProcessor,
  ) {}

  /**
   * `POST /runs`. Without a slot, a new manual slot. With one, the run of that slot: created if
   * new, re-queued if it failed, else returned as is (a duplicate stores nothing).
   */
  async trigger(slot: string = manualSlot(randomUUID())): Promise<TriggerResult> {
    const { run, created } = await this.runs.createIfAbsent(slot);
    if (created) {
      this.enqueue(run.id);
      return { run, accepted: true };
    }
    const requeued = await this.runs.requeueFailed(slot);
    if (requeued) {
      this.enqueue(requeued.id);
      return { run: requeued, accepted: true };
    }
    return { run, accepted: false };
  }

  /** A cron tick: only the instance that creates the slot's run processes it. */
  async triggerScheduled(firedAt: Date): Promise<void> {
    const slot = scheduleSlot(firedAt);
    const { run, created } = await this.runs.createIfAbsent(slot);
    if (created) this.enqueue(run.id);
    else this.logger.log(`slot ${slot} already has run ${run.id} (${run.status}); skipping`);
  }

  list(limit: number): Promise<ArchiveRunEntity[]> {
    return this.runs.list(limit);
  }

  find(id: string): Promise<ArchiveRunEntity | undefined> {
    return this.runs.findById(id);
  }

  /**
   * Runs queued when an instance stopped are picked up at the next boot (by any instance); a run
   * left `running` by an instance that died is marked failed at once if nothing is running now.
   */
  async onApplicationBootstrap(): Promise<void> {
    const interrupted = await this.processor.failInterruptedIfIdle();
    if (interrupted) this.logger.warn(`${interrupted} run(s) left running by a stopped instance marked failed`);
    const queued = await this.runs.queuedIds();
    if (queued.length) this.logger.log(`resuming ${queued.length} queued run(s)`);
    for (const id of queued) this.enqueue(id);
  }

  /** Lets the run in progress finish before the pool closes; queued ones wait for the next boot. */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.queue, new Promise((resolve) => (timer = setTimeout(resolve, 30_000)))]);
    clearTimeout(timer);
  }

  /** Resolves when every run enqueued so far has been processed (tests, shutdown). */
  idle(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  private enqueue(id: string): void {
    this.queue = this.queue
      // One span per run: a scheduled run is one trace, a triggered one joins the POST's trace.
      .then(() => (this.closing ? undefined : inSpan('archive run', () => this.processor.process(id))))
      .catch((error: unknown) => this.logger.error(`run ${id} could not be processed: ${(error as Error)?.message ?? String(error)}`));
  }
}
