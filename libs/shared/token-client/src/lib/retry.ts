import { backOff } from 'exponential-backoff';
import { TransientHttpError } from './errors';

/** How transient failures are retried: exponential backoff with full jitter. */
export interface RetryPolicy {
  /** Total attempts, the first one included (≥ 1). */
  attempts: number;
  /** Upper bound of the first delay; each later delay doubles, each is randomised in [0, bound]. */
  initialDelayMs: number;
  /** Cap of a single delay. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 4, initialDelayMs: 250, maxDelayMs: 5_000 };

/**
 * Network errors, timeouts, 5xx and 429 are transient; everything else (4xx, bad bodies,
 * rejected credentials) is final and returned at once.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof TransientHttpError) return true;
  // Duck-typed: fetch's errors may come from another realm (Jest's sandbox), where instanceof fails.
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  // Node's fetch (undici) reports refused/reset connections and DNS failures as TypeError('fetch failed').
  if (name === 'TypeError' && message === 'fetch failed') return true;
  return name === 'TimeoutError';
}

/** Throws a TransientHttpError for a response worth retrying. */
export function assertNotTransient(response: Response, what: string): void {
  if (response.status >= 500 || response.status === 429) {
    throw new TransientHttpError(`${what} answered HTTP ${response.status}`, response.status);
  }
}

/**
 * Runs `operation` with the `exponential-backoff` package (full jitter, so that many clients
 * failing together do not retry in lockstep). Final errors are rethrown at once; when the attempts
 * run out, `onGiveUp` turns the last transient error into the caller's own error.
 */
export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  hooks: {
    /** After a transient failure that will be retried; `failedAttempt` counts from 1. */
    onRetry?: (error: unknown, failedAttempt: number) => void;
    onGiveUp?: (error: unknown, attempts: number) => Error;
  } = {},
): Promise<T> {
  const attempts = Math.max(1, policy.attempts);
  let attempt = 0;
  try {
    return await backOff(() => operation(++attempt), {
      numOfAttempts: attempts,
      startingDelay: policy.initialDelayMs,
      maxDelay: policy.maxDelayMs,
      timeMultiple: 2,
      jitter: 'full',
      delayFirstAttempt: false,
      // Called after every failure, the last one included, with the number of attempts made.
      retry: (error: unknown, attemptsMade: number) => {
        if (!isTransient(error) || attemptsMade >= attempts) return false;
        hooks.onRetry?.(error, attemptsMade);
        return true;
      },
    });
  } catch (error) {
    if (isTransient(error) && hooks.onGiveUp) throw hooks.onGiveUp(error, attempt);
    throw error;
  }
}
