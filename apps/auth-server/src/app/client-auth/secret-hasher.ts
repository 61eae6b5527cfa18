import { Inject, Injectable, Optional } from '@nestjs/common';
// Must come before @node-rs/argon2: sets its allocator's purge delay (RSS, issue 10 point 10).
import './argon2-memory';
import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { ConcurrencyGate } from './concurrency-gate';
import { AUTH_SERVER_CONFIG, type AuthServerConfig } from '../config';

/** `Algorithm.Argon2id` is a const enum, which per-file transpilers cannot inline. */
const ARGON2ID = 2 as Algorithm;

/**
 * Client secrets at rest: argon2id (RFC 9106), the library's defaults (19 MiB, t=2, p=1 —
 * OWASP's minimum recommendation), ~29 ms per check here. The PHC string carries its own salt
 * and parameters, and `verify` compares in constant time inside the native code.
 */
@Injectable()
export class SecretHasher {
  /** Bounds concurrent verifications so JWT signing keeps threadpool threads (ADR 0007). */
  private readonly gate: ConcurrencyGate;

  constructor(@Optional() @Inject(AUTH_SERVER_CONFIG) config?: Pick<AuthServerConfig, 'ARGON2_MAX_CONCURRENCY' | 'ARGON2_MAX_WAITING'>) {
    this.gate = new ConcurrencyGate(config?.ARGON2_MAX_CONCURRENCY ?? 1, config?.ARGON2_MAX_WAITING ?? 64);
  }

  /**
   * Checked when the client id is unknown, so an unknown id costs as much as a wrong secret
   * and response times do not reveal which client ids exist. A constant: the hash of 32 random
   * bytes that were thrown away, with the same parameters `hash()` uses (a unit test keeps them
   * equal). It used to be computed at boot, which cost ~30 ms of CPU and left another 19 MiB
   * argon2 buffer in a threadpool malloc arena for the life of the process (ADR 0006). Knowing
   * it helps nobody: `verifyDummy` fails whatever the check says.
   */
  static readonly DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$/6mlfw/EgqN4pVV5/0v5jA$ZynPcNCcoI/c2ExG69hCpE1wkaf3R9jAAqHwVG2zi+o';

  hash(secret: string): Promise<string> {
    return hash(secret, { algorithm: ARGON2ID });
  }

  async verify(secretHash: string, secret: string): Promise<boolean> {
    return this.gate.run(async () => {
      try {
        return await verify(secretHash, secret);
      } catch {
        return false; // a malformed hash never authenticates anyone
      }
    });
  }

  /** Burns the same time as a real check and always fails. */
  async verifyDummy(secret: string): Promise<false> {
    await this.verify(SecretHasher.DUMMY_HASH, secret);
    return false;
  }
}
