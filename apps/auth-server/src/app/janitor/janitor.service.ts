import { Inject, Injectable } from '@nestjs/common';
import { AUTH_SERVER_CONFIG, type AuthServerConfig } from '../config';
import { JANITOR_REPOSITORY, type JanitorRepository } from './janitor.repository.port';

/** What one sweep deleted. */
export interface JanitorReport {
  tokens: number;
  revocations: number;
  /** Spent client-assertion `jti`s past their expiry. */
  replayEntries: number;
  auditEvents: number;
  /** Transactions run (each deletes at most `batchSize` rows per table). */
  batches: number;
  /** True when another instance was sweeping, so this one stopped (it will catch up next time). */
  yielded: boolean;
}

export interface SweepOptions {
  /** Unix seconds; defaults to the clock. */
  now?: number;
  /** Rows per table per batch; defaults to JANITOR_BATCH_SIZE. */
  batchSize?: number;
}

/**
 * Deletes what no request can need any more (docs/adr/0009-janitor.md), like ORY Hydra's
 * `hydra janitor`: tokens expired more than JANITOR_GRACE_SECONDS ago, revocation-feed rows of
 * such tokens, spent client-assertion `jti`s past their expiry (+ the grace), and audit rows older than AUDIT_RETENTION_DAYS. A deleted token introspects as
 * `{"active":false}` exactly as an expired one does (RFC 7662 §2.2), and revoking it is the
 * RFC 7009 §2.2 no-op. Runs in bounded batches until a batch comes back short.
 */
@Injectable()
export class JanitorService {
  constructor(
    @Inject(JANITOR_REPOSITORY) private readonly repository: JanitorRepository,
    @Inject(AUTH_SERVER_CONFIG) private readonly config: AuthServerConfig,
  ) {}

  async sweep({
    now = Math.floor(Date.now() / 1000),
    batchSize = this.config.JANITOR_BATCH_SIZE,
  }: SweepOptions = {}): Promise<JanitorReport> {
    const days = this.config.AUDIT_RETENTION_DAYS;
    const cutoffs = {
      expiredBefore: now - this.config.JANITOR_GRACE_SECONDS,
      auditBefore: days > 0 ? new Date((now - days * 86_400) * 1000) : undefined,
      limit: batchSize,
    };
    const report: JanitorReport = { tokens: 0, revocations: 0, replayEntries: 0, auditEvents: 0, batches: 0, yielded: false };
    for (;;) {
      const batch = await this.repository.deleteBatch(cutoffs);
      if (!batch.acquired) return { ...report, yielded: true };
      report.batches += 1;
      report.tokens += batch.tokens;
      report.revocations += batch.revocations;
      report.replayEntries += batch.replayEntries;
      report.auditEvents += batch.auditEvents;
      if (Math.max(batch.tokens, batch.revocations, batch.replayEntries, batch.auditEvents) < batchSize) return report;
    }
  }
}
