import { OAuthError, type OAuthErrorOptions } from './oauth-error';

/**
 * The server cannot answer now, and says when to try again: `temporarily_unavailable`
 * (RFC 6749 §4.1.2.1 names the code; CONTRACT.md Part 2 uses it at every endpoint) with a
 * `Retry-After` header in seconds (RFC 9110 §10.2.3).
 *
 * - `TemporarilyUnavailableError.outage()`: 503, a dependency (PostgreSQL) is unreachable.
 * - `TemporarilyUnavailableError.throttled()`: 429 (RFC 6585 §4), too many failed client
 *   authentications from this client_id or address.
 */
export class TemporarilyUnavailableError extends OAuthError {
  readonly code = 'temporarily_unavailable';

  constructor(
    readonly status: 429 | 503,
    description: string,
    /** Seconds, a positive integer: the `Retry-After` header. */
    readonly retryAfterSeconds: number,
    options: OAuthErrorOptions = {},
  ) {
    super(description, options);
  }

  /** 503: the database (or another dependency) is unreachable. */
  static outage(retryAfterSeconds = 2, options: OAuthErrorOptions = {}): TemporarilyUnavailableError {
    return new TemporarilyUnavailableError(503, 'the service is temporarily unavailable, retry later', retryAfterSeconds, options);
  }

  /** 429: too many failed client authentications; the same answer whether the client exists or not. */
  static throttled(retryAfterSeconds: number, options: OAuthErrorOptions = {}): TemporarilyUnavailableError {
    return new TemporarilyUnavailableError(429, 'too many failed authentication attempts, retry later', Math.max(1, Math.ceil(retryAfterSeconds)), options);
  }
}
