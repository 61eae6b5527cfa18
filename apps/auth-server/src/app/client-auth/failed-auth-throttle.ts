import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';
import { TemporarilyUnavailableError } from '@playground/oauth-contracts';
import { AUTH_SERVER_CONFIG, type AuthServerConfig } from '../config';

/**
 * Throttles repeated *failed* client authentication (docs/contract.md, "Errors";
 * ADR 0007), per `client_id` and per source address:
 *
 * - `FAILED_AUTH_LIMIT_PER_CLIENT` failures of one client_id, or `FAILED_AUTH_LIMIT_PER_ADDRESS`
 *   failures from one address, within `FAILED_AUTH_WINDOW_SECONDS` block further attempts that
 *   would need an argon2id check for `FAILED_AUTH_BLOCK_SECONDS`: 429 `temporarily_unavailable`
 *   with `Retry-After`. An attempt in progress counts as a failure until it succeeds, so
 *   concurrent guesses cannot overshoot the limit (and argon2 work stays bounded).
 * - Unknown client_ids are counted exactly like known ones (keyed by a hash of the id), so a 429
 *   says nothing about which ids exist.
 * - The check is made only when the presented secret is not in the verification cache: a client
 *   whose correct secret was verified recently is never slowed by someone else's failures,
 *   even from the same address or under its own client_id.
 * - A throttled answer is sent after `FAILED_AUTH_THROTTLE_DELAY_MS`: a flood that ignores
 *   Retry-After then costs a held socket, not a busy event loop.
 *
 * Counters live in process memory (rate-limiter-flexible's RateLimiterMemory): with several
 * instances each enforces its own limits, so the effective limit is N times higher. ADR 0007
 * says why that trade-off (no database round trip on the failure path, works during an outage)
 * was taken and what a shared store would change.
 */
@Injectable()
export class FailedAuthThrottle {
  private readonly logger = new Logger(FailedAuthThrottle.name);
  private readonly byClient: RateLimiterMemory;
  private readonly byAddress: RateLimiterMemory;

  constructor(@Inject(AUTH_SERVER_CONFIG) private readonly config: AuthServerConfig) {
    const common = { duration: config.FAILED_AUTH_WINDOW_SECONDS, blockDuration: config.FAILED_AUTH_BLOCK_SECONDS };
    this.byClient = new RateLimiterMemory({ ...common, keyPrefix: 'client', points: config.FAILED_AUTH_LIMIT_PER_CLIENT });
    this.byAddress = new RateLimiterMemory({ ...common, keyPrefix: 'address', points: config.FAILED_AUTH_LIMIT_PER_ADDRESS });
  }

  /**
   * Called before an attempt that needs an argon2id check, with the request's source address. The attempt counts as a failure from
   * now on — so fifty concurrent guesses cannot all slip under the limit before the first one has
   * failed — and `succeeded()` takes it back. Throws TemporarilyUnavailableError (429) when this
   * client_id or the request's address is already over its limit.
   */
  async begin(clientId: string, sourceAddress?: string): Promise<void> {
    const address = addressKey(sourceAddress);
    const key = clientKey(clientId);
    const [client, source] = await Promise.all([consume(this.byClient, key), consume(this.byAddress, address)]);
    if (client.allowed && source.allowed) return;
    // Over the limit: this attempt is not made, so it does not count against the other key.
    if (client.allowed) await this.byClient.reward(key, 1);
    if (source.allowed) await this.byAddress.reward(address, 1);
    await this.refuse(address, Math.max(client.allowed ? 0 : client.msBeforeNext, source.allowed ? 0 : source.msBeforeNext));
  }

  /** The attempt begun for this client_id authenticated: it was not a failure after all. */
  async succeeded(clientId: string, sourceAddress?: string): Promise<void> {
    await Promise.all([this.byClient.reward(clientKey(clientId), 1), this.byAddress.reward(addressKey(sourceAddress), 1)]);
  }

  /**
   * For methods that count failures only (private_key_jwt): throws TemporarilyUnavailableError
   * (429) when this client_id or the request's address is over its limit; counts nothing.
   */
  async admit(clientId: string, sourceAddress?: string): Promise<void> {
    const address = addressKey(sourceAddress);
    const [client, source] = await Promise.all([this.byClient.get(clientKey(clientId)), this.byAddress.get(address)]);
    const over = (res: RateLimiterRes | null, limit: number) => (res && res.consumedPoints >= limit ? res.msBeforeNext : 0);
    const waitMs = Math.max(
      over(client, this.config.FAILED_AUTH_LIMIT_PER_CLIENT),
      over(source, this.config.FAILED_AUTH_LIMIT_PER_ADDRESS),
    );
    if (waitMs > 0) await this.refuse(address, waitMs);
  }

  /** Counts one failed authentication for this client_id and the request's address (see admit()). */
  async failed(clientId: string, sourceAddress?: string): Promise<void> {
    await Promise.all([consume(this.byClient, clientKey(clientId)), consume(this.byAddress, addressKey(sourceAddress))]);
  }

  private async refuse(address: string, waitMs: number): Promise<never> {
    this.logger.debug(`throttled client authentication from ${address}`);
    if (this.config.FAILED_AUTH_THROTTLE_DELAY_MS > 0) await sleep(this.config.FAILED_AUTH_THROTTLE_DELAY_MS);
    throw TemporarilyUnavailableError.throttled(waitMs / 1000, { reason: `failed-authentication limit reached (${address})` });
  }
}

/** consume() resolves under the limit and rejects with a RateLimiterRes over it; both are answers. */
async function consume(limiter: RateLimiterMemory, key: string): Promise<{ allowed: boolean; msBeforeNext: number }> {
  try {
    await limiter.consume(key);
    return { allowed: true, msBeforeNext: 0 };
  } catch (rejection) {
    if (rejection instanceof Error) throw rejection;
    return { allowed: false, msBeforeNext: (rejection as RateLimiterRes).msBeforeNext };
  }
}

/** The request's TCP peer (OAuthRequest.sourceAddress); outside a request (CLI, tests) one shared key. */
function addressKey(sourceAddress: string | undefined): string {
  return sourceAddress ?? 'unknown';
}

/** Ids can be long and arbitrary; a fixed-size key bounds what each counter holds. */
function clientKey(clientId: string): string {
  return createHash('sha256').update(clientId, 'utf8').digest('base64url');
}
