/** What one batch deleted, per table. */
export interface JanitorBatchResult {
  /** False: another instance holds the janitor lock; nothing was deleted. */
  acquired: boolean;
  tokens: number;
  revocations: number;
  /** Spent client-assertion `jti`s (private_key_jwt replay entries). */
  replayEntries: number;
  auditEvents: number;
}

/** Cut-offs of one batch: rows older than these go. */
export interface JanitorCutoffs {
  /** Unix seconds: tokens, revocation-feed rows and replay entries that expired before this are deleted. */
  expiredBefore: number;
  /** Audit rows written before this instant are deleted; undefined keeps them all. */
  auditBefore: Date | undefined;
  /** Most rows deleted per table in this batch. */
  limit: number;
}

/**
 * Persistence port of the janitor: deletes, in one short transaction, at most `limit` rows of
 * each kind that nothing can need any more. Several instances may call it at once: a batch
 * first takes a transaction-scoped advisory lock and returns `acquired: false` when another
 * instance holds it.
 */
export interface JanitorRepository {
  deleteBatch(cutoffs: JanitorCutoffs): Promise<JanitorBatchResult>;
}

export const JANITOR_REPOSITORY = Symbol('JANITOR_REPOSITORY');
