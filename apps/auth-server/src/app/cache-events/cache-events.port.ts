/**
 * What another auth-server process (or the admin CLI) changed, so that this process drops what
 * it cached about it (ADR 0011):
 * - `client`: a client's secret was rotated or it was disabled — forget its verified secrets;
 * - `signing-key`: the signing key was rotated — re-read the active key before signing again;
 * - `all`: this process may have missed events (the listening connection was lost and is back,
 *   or was never up) — treat every cached entry as possibly stale.
 */
export type CacheEvent = { kind: 'client'; clientId: string } | { kind: 'signing-key' } | { kind: 'all' };

/** Port: publishes cache events to every auth-server process and delivers theirs to this one. */
export interface CacheEvents {
  /** Tells every process, this one included. Never throws: a lost event is bounded by the TTLs. */
  publish(event: CacheEvent): Promise<void>;
  /** Calls `handler` for every event received, in order; handlers must not throw. */
  subscribe(handler: (event: CacheEvent) => void): void;
}

export const CACHE_EVENTS = Symbol('CACHE_EVENTS');
/** DI token: whether this process LISTENs (servers) or only publishes (the admin CLI). */
export const CACHE_EVENTS_LISTEN = Symbol('CACHE_EVENTS_LISTEN');

/** The Postgres channel every auth-server process LISTENs on (auth-server's own; ADR 0011). */
export const CACHE_EVENTS_CHANNEL = 'auth_server_cache';

/** Parses a NOTIFY payload; anything unexpected counts as `all` (safe: only evicts). */
export function parseCacheEvent(payload: string | undefined): CacheEvent {
  try {
    const value = JSON.parse(payload ?? '') as Partial<{ kind: string; clientId: unknown }>;
    if (value.kind === 'client' && typeof value.clientId === 'string') return { kind: 'client', clientId: value.clientId };
    if (value.kind === 'signing-key') return { kind: 'signing-key' };
  } catch {
    // fall through
  }
  return { kind: 'all' };
}
