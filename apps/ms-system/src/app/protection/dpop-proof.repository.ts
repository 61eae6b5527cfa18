import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { DpopReplayCache } from '@playground/bearer-auth';

const PRUNE_INTERVAL_MS = 60_000;

/**
 * RFC 9449 §11.1 replay detection shared by every ms-system instance (ADR 0007): the first
 * instance to insert a proof's key wins, any other insert of it — on any instance — is a replay.
 * One primary-key insert per DPoP request; rows are pruned once their proof is stale anyway
 * (at most the 60 s window plus the prune interval).
 */
@Injectable()
export class PostgresDpopReplayCache implements DpopReplayCache, OnModuleDestroy {
  private readonly pruner: NodeJS.Timeout;

  constructor(@InjectDataSource() private readonly db: DataSource) {
    this.pruner = setInterval(() => void this.prune().catch(() => undefined), PRUNE_INTERVAL_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.pruner);
  }

  async firstUse(key: string, staleAtSeconds: number): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `INSERT INTO dpop_proofs (key, stale_at) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING stale_at`,
      [key, staleAtSeconds],
    );
    return rows.length === 1;
  }

  private async prune(): Promise<void> {
    await this.db.query(`DELETE FROM dpop_proofs WHERE stale_at < $1`, [Math.floor(Date.now() / 1000)]);
  }
}
