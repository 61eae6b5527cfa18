/**
 * Persistence port for the single use of client assertion `jti`s (RFC 7523 §3 item 7). Postgres,
 * not memory, so that an assertion accepted by one instance is refused by every other one
 * (docs/adr/0010-private-key-jwt-and-signing-keys.md).
 */
export interface AssertionReplayRepository {
  /**
   * Records `jti` of `clientId` as used until `expiresAt` (unix seconds). True the first time;
   * false if it was already used and has not expired (a replay). Atomic across instances.
   */
  use(clientId: string, jti: string, expiresAt: number, now?: number): Promise<boolean>;
  /** Drops the rows that expired before `now`; returns how many. */
  purgeExpired(now?: number): Promise<number>;
}

export const ASSERTION_REPLAY_REPOSITORY = Symbol('ASSERTION_REPLAY_REPOSITORY');
