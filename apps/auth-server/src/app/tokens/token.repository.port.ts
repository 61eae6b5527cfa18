import type { ClientConfirmation } from '../client-auth/client-changed.error';
import type { TokenFormatName } from '../clients/client';
import type { TokenLookup, TokenRecordKey } from './token-format';

/** A stored token: what introspection and revocation answer from. */
export interface StoredToken {
  jti: string;
  format: TokenFormatName;
  clientId: string;
  scope: string;
  iat: number;
  exp: number;
  revokedAt: Date | null;
  /** RFC 8707 resources; null: the client itself. */
  audience: string[] | null;
  /** RFC 9449 thumbprint of a DPoP-bound token. */
  cnfJkt: string | null;
  /** Whether the owning client is still enabled (a disabled client's tokens are inactive). */
  clientEnabled: boolean;
}

export type NewTokenRecord = TokenRecordKey & { clientId: string; scope: string; iat: number; exp: number };

/** Persistence port for tokens and the JWT revocation feed. */
export interface TokenRepository {
  /**
   * Stores the token and its `token_issued` audit row, together, but only while the client is
   * still enabled at `secretVersion`. Resolves once the rows are committed (durable): true, they
   * were written; false, nothing was written because the client changed. Rejects with the
   * driver's error when Postgres fails (then nothing is known to be stored: never answer 200).
   * The adapter may write concurrent calls in one statement and one commit (group commit); each
   * caller still learns only about its own row.
   */
  insertIssued(record: NewTokenRecord, confirm: ClientConfirmation, audit: Record<string, unknown>): Promise<boolean>;
  find(lookup: TokenLookup): Promise<StoredToken | undefined>;
  /**
   * `find`, plus whether the caller is still enabled at its secret version — read in the same
   * statement, so the caller's cached authentication costs no round trip of its own. No
   * `lookup`: only the caller check. An unknown caller is `callerValid: false`. The adapter may
   * answer concurrent calls from one statement; each gets its own token and caller check.
   */
  findForCaller(lookup: TokenLookup | undefined, caller: ClientConfirmation): Promise<{ callerValid: boolean; token?: StoredToken }>;
  /**
   * Marks the token revoked; a JWT also gets a row in the revocation feed. Idempotent. Returns
   * whether this call revoked it.
   */
  revoke(jti: string): Promise<boolean>;
  /** Feed rows with id > after (or, without `after`, those of unexpired tokens), oldest first. */
  revocationsAfter(after: bigint | undefined, now: number, limit: number): Promise<Array<{ id: string; jti: string; exp: number }>>;
  /** Id of the newest feed row, or undefined when nothing was ever revoked. */
  lastRevocationId(): Promise<string | undefined>;
}

export const TOKEN_REPOSITORY = Symbol('TOKEN_REPOSITORY');
