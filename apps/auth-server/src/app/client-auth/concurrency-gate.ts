import { TemporarilyUnavailableError } from '@playground/oauth-contracts';

/**
 * At most `limit` tasks at once, at most `maxWaiting` more queued; beyond that the task is
 * refused at once with 503 `temporarily_unavailable` (Retry-After 1 s) instead of waiting.
 *
 * Why (ADR 0007): argon2id verifications run on the libuv threadpool (4 threads), which JWT
 * signing (WebCrypto) and other crypto also use. Unbounded, a flood of wrong secrets fills every
 * thread with ~29 ms hashes, and signing for good clients queues behind them. Bounding the
 * verifications keeps threads free. Hand-written rather than p-limit: p-limit has no bound on
 * its queue (the point here is to refuse, not to wait) and ships ES modules only.
 */
export class ConcurrencyGate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    readonly limit: number,
    readonly maxWaiting: number,
  ) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) {
      if (this.waiting.length >= this.maxWaiting) {
        throw TemporarilyUnavailableError.outage(1, { reason: 'too many secret verifications waiting' });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter (running stays the same), or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** Tasks running and waiting now (for tests and metrics). */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }
}
