/**
 * Errors of the token client. Messages name the endpoint and what went wrong, never a token or
 * a secret, so they are safe to log and to store as a run's failure reason.
 */
export class TokenClientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The authorization server refused the client's credentials (RFC 6749 §5.2, typically 401
 * `invalid_client`). Retrying cannot help, so it is never retried and never loops.
 */
export class ClientCredentialsRejectedError extends TokenClientError {
  constructor(
    readonly status: number,
    readonly oauthError: string | undefined,
  ) {
    super(`the authorization server rejected the client credentials (HTTP ${status}${oauthError ? `, ${oauthError}` : ''})`);
  }
}

/** The token request (or metadata discovery) kept failing with network errors or 5xx. */
export class TokenEndpointUnavailableError extends TokenClientError {
  constructor(
    readonly attempts: number,
    readonly lastError: unknown,
  ) {
    super(`token request failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${describeError(lastError)}`, {
      cause: lastError,
    });
  }
}

/** An answer that is not what RFC 8414 / RFC 6749 §5.1 promise (not retried). */
export class TokenProtocolError extends TokenClientError {}

/**
 * A failure worth retrying: the peer could not be reached, timed out, or answered 5xx (or 429).
 * Used by the retry helper to tell transient failures from final ones.
 */
export class TransientHttpError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TransientHttpError';
  }
}

/** A one-line, secret-free description of an error, including undici's `cause` (ECONNREFUSED…). */
export function describeError(error: unknown): string {
  // Duck-typed: fetch's errors may come from another realm (Jest's sandbox), where instanceof fails.
  if (typeof error !== 'object' || error === null || typeof (error as Error).message !== 'string') return String(error);
  const { name, message } = error as Error;
  const cause = (error as Error).cause as { code?: string; message?: string } | undefined;
  if (name === 'TypeError' && message === 'fetch failed' && cause) {
    return `network error (${cause.code ?? cause.message ?? 'unknown'}${cause.code && cause.message ? `: ${cause.message}` : ''})`;
  }
  if (name === 'TimeoutError' || name === 'AbortError') return `request timed out (${message})`;
  return message;
}
