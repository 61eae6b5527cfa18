import { OAuthError, type OAuthErrorOptions } from './oauth-error';

export interface TemporarilyUnavailableOptions extends OAuthErrorOptions {
  /** 503 (default): a dependency is unreachable; 429: throttled (RFC 6585 §4). */
  status?: 429 | 503;
  /** Seconds, a positive integer: the `Retry-After` header. Default 2. */
  retryAfterSeconds?: number;
}

/**
 * The server cannot answer now, and says when to try again: `temporarily_unavailable`
 * (RFC 6749 §4.1.2.1 names the code; docs/contract.md uses it at every endpoint) with a
 * `Retry-After` header in seconds (RFC 9110 §10.2.3).
 *
 * - `TemporarilyUnavailableError.outage()`: 503, a dependency (PostgreSQL) is unreachable.
 * - `TemporarilyUnavailableError.throttled()`: 429 (RFC 6585 §4), too many failed client
 *   authentications from this client_id or address.
 */
export class TemporarilyUnavailableError extends OAuthError {
  readonly code = 'temporarily_unavailable';
  readonly status: 429 | 503;
  readonly retryAfterSeconds: number;

  constructor(description: string, options: TemporarilyUnavailableOptions = {}) {
    super(description, options);
    this.status = options.status ?? 503;
    this.retryAfterSeconds = Math.max(1, Math.ceil(options.retryAfterSeconds ?? 2));
  }

  /** 503: the database (or another dependency) is unreachable. */
  static outage(retryAfterSeconds = 2, options: OAuthErrorOptions = {}): TemporarilyUnavailableError {
    return new TemporarilyUnavailableError('the service is temporarily unavailable, retry later', {
      ...options,
      status: 503,
      retryAfterSeconds,
    });
  }

  /** 429: too many failed client authentications; the same answer whether the client exists or not. */
  static throttled(retryAfterSeconds: number, options: OAuthErrorOptions = {}): TemporarilyUnavailableError {
    return new TemporarilyUnavailableError('too many failed authentication attempts, retry later', {
      ...options,
      status: 429,
      retryAfterSeconds,
    });
  }
}
