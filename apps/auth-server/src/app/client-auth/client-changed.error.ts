/**
 * A statement that acts for an authenticated client found it no longer as authenticated: its
 * secret was rotated or it was disabled after the (possibly cached) authentication. Nothing was
 * written; the caller forgets the cached verification and authenticates again from Postgres,
 * which then refuses the old secret or the disabled client with `invalid_client`.
 */
export class ClientChangedError extends Error {
  constructor(readonly clientId: string) {
    super(`client ${clientId} changed since it was authenticated`);
    this.name = 'ClientChangedError';
  }
}

/** What a statement checks, atomically, before it acts for a client. */
export interface ClientConfirmation {
  clientId: string;
  secretVersion: number;
}
