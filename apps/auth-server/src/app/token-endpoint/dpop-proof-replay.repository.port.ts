/**
 * Persistence port for the single use of DPoP proofs at the token endpoint (RFC 9449 §11.1):
 * Postgres, so a proof accepted by one instance is refused by every other one (ADR 0008).
 */
export interface DpopProofReplayRepository {
  /** Records the proof key until `staleAt` (unix seconds). True the first time; false for a replay. */
  firstUse(key: Buffer, staleAt: number): Promise<boolean>;
  /** Drops the proofs that went stale before `now`. */
  purgeStale(now: number): Promise<void>;
}

export const DPOP_PROOF_REPLAY_REPOSITORY = Symbol('DPOP_PROOF_REPLAY_REPOSITORY');
