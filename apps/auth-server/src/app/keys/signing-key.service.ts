import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable, Logger, OnModuleInit, Optional } from '@nestjs/common';
import { calculateJwkThumbprint } from 'jose';
import { AuditService } from '../audit/audit.service';
import { CACHE_EVENTS, type CacheEvents } from '../cache-events/cache-events.port';
import { AUTH_SERVER_CONFIG, type AuthServerConfig } from '../config';
import { KeyEncryption } from './key-encryption';
import {
  DEFAULT_SIGNING_ALG,
  generateSigningKeyPair,
  isSigningAlg,
  publicJwkOf,
  SIGNING_ALGS,
  type SigningAlg,
} from './signing-algorithms';
import { SIGNING_KEY_REPOSITORY, type SigningKeyRepository, type StoredSigningKey } from './signing-key.repository.port';

export interface ActiveSigningKey {
  kid: string;
  alg: SigningAlg;
  privateKey: KeyObject;
}

/**
 * A published key of the JWKS (RFC 7517 §4): `kty`, `kid`, `use`, `alg` and the public members
 * of its type — `n`, `e` for RSA; `crv`, `x`, `y` for EC; `crv`, `x` for OKP (RFC 8037).
 */
export interface PublicJwk {
  kty: string;
  kid: string;
  use: 'sig';
  alg: string;
  [member: string]: string;
}

/**
 * The keys that sign JWT access tokens, one active key per algorithm (RS256, PS256, ES256,
 * EdDSA; see signing-algorithms.ts): generated on first start, kept in Postgres sealed under the
 * key-encryption key (KeyEncryption), rotatable. A rotation retires the active key rather than
 * deleting it, and the JWKS keeps publishing a retired key for as long as any token signed with
 * it has not expired.
 */
@Injectable()
export class SigningKeyService implements OnModuleInit {
  private readonly logger = new Logger(SigningKeyService.name);
  private readonly active = new Map<SigningAlg, { key: ActiveSigningKey; loadedAt: number; nextCheckAt: number }>();
  private readonly publicKeys = new Map<string, { key: KeyObject; alg: SigningAlg }>();

  constructor(
    @Inject(SIGNING_KEY_REPOSITORY) private readonly keys: SigningKeyRepository,
    private readonly audit: AuditService,
    private readonly encryption: KeyEncryption,
    @Inject(AUTH_SERVER_CONFIG) private readonly config: AuthServerConfig,
    @Optional() @Inject(CACHE_EVENTS) private readonly events?: CacheEvents,
  ) {
    // A rotation in another process (or the CLI) reaches this one at once rather than after
    // SIGNING_KEY_REFRESH_SECONDS: every algorithm's active (and waiting) key is re-read before
    // the next signature (ADR 0011). The refresh stays as the bound if an event is lost.
    events?.subscribe((event) => {
      if (event.kind !== 'client') this.active.clear();
    });
  }

  async onModuleInit(): Promise<void> {
    await this.sealClearTextKeys();
    for (const alg of SIGNING_ALGS) await this.activeKey(alg);
  }

  /**
   * The key to sign with for `alg`. Re-read every SIGNING_KEY_REFRESH_SECONDS so that a rotation
   * done by the CLI reaches running servers; until then they sign with the retired key, which
   * stays published because its tokens are recorded with its kid. A pre-published `next` key is
   * promoted by the first server that reads it after its `activates_at` (database time), and
   * every server re-reads at that moment, so all switch together.
   */
  async activeKey(alg: SigningAlg = DEFAULT_SIGNING_ALG): Promise<ActiveSigningKey> {
    const now = Date.now();
    const cached = this.active.get(alg);
    if (cached && now - cached.loadedAt < this.config.SIGNING_KEY_REFRESH_SECONDS * 1000 && now < cached.nextCheckAt) {
      return cached.key;
    }
    let { active: row, next } = await this.keys.activeAndNext(alg);
    if (next?.msUntilActive === 0) {
      for (const kid of await this.keys.promoteDue()) this.logger.log(`pre-published signing key ${kid} is now active`);
      ({ active: row, next } = await this.keys.activeAndNext(alg));
    }
    if (!row) {
      await this.insertNewKey(alg);
      row = await this.keys.findActive(alg);
      if (!row) throw new Error(`no active ${alg} signing key after inserting one`);
    }
    const key = { kid: row.kid, alg, privateKey: createPrivateKey(this.privatePem(row)) };
    // A promotion another server holds the lock for is re-checked a second later, not per request.
    const nextCheckAt = next ? now + Math.max(next.msUntilActive, 1000 * Number(next.msUntilActive === 0)) : Infinity;
    this.active.set(alg, { key, loadedAt: now, nextCheckAt });
    return key;
  }

  /** Public key and algorithm of any key this server ever published (active or retired), by kid. */
  async publicKey(kid: string): Promise<{ key: KeyObject; alg: SigningAlg } | undefined> {
    const cached = this.publicKeys.get(kid);
    if (cached) return cached;
    const row = await this.keys.findByKid(kid);
    if (!row || !isSigningAlg(row.alg)) return undefined;
    const found = { key: createPublicKey({ key: row.publicJwk, format: 'jwk' }), alg: row.alg };
    this.publicKeys.set(kid, found);
    return found;
  }

  /**
   * RFC 7517 JWK Set: every active key, every pre-published next key, and every retired key that
   * still has unexpired tokens.
   */
  async jwks(now = Math.floor(Date.now() / 1000)): Promise<{ keys: PublicJwk[] }> {
    const rows = await this.keys.published(now);
    return {
      keys: rows.map((row) => ({ ...publicJwkOf(row.publicJwk), kty: row.publicJwk['kty'], kid: row.kid, use: 'sig', alg: row.alg })),
    };
  }

  /**
   * Rollover (docs/contract.md, "Tokens"), for each algorithm (or only `options.alg`). By default
   * the new key is published at once as `next` and signs only after
   * SIGNING_KEY_PREPUBLISH_SECONDS, so no resource server meets an unknown kid; throws if a key of
   * that algorithm is already waiting. `now: true` (key compromise) activates a new key at once
   * and drops any waiting one: resource servers whose JWKS cache predates it refuse its tokens
   * until they refetch (an unknown kid triggers that, once per cooldown).
   */
  async rotate(
    options: { alg?: SigningAlg; now?: boolean } = {},
  ): Promise<Array<{ alg: SigningAlg; retired?: string; active: string; activatesAt?: Date }>> {
    const wait = options.now ? 0 : this.config.SIGNING_KEY_PREPUBLISH_SECONDS;
    const rotated = [];
    for (const alg of options.alg ? [options.alg] : SIGNING_ALGS) {
      const material = await this.generate(alg);
      if (wait > 0) {
        const { current, activatesAt } = await this.keys.prepublish(material, wait);
        this.active.delete(alg);
        await this.audit.record('signing_key_rotated', null, {
          alg,
          retired: current,
          active: material.kid,
          activatesAt: activatesAt.toISOString(),
        });
        this.logger.log(
          `${alg} signing key ${material.kid} published; signs from ${activatesAt.toISOString()} (${current ?? '(none)'} until then)`,
        );
        rotated.push({ alg, retired: current, active: material.kid, activatesAt });
        continue;
      }
      const retired = await this.keys.rotateTo(material);
      this.active.delete(alg);
      await this.audit.record('signing_key_rotated', null, { alg, retired, active: material.kid, activatesAt: 'now' });
      this.logger.log(`${alg} signing key rotated: ${retired ?? '(none)'} → ${material.kid}`);
      rotated.push({ alg, retired, active: material.kid });
    }
    // Every server re-reads now: the new active key, or when the waiting one activates (ADR 0011).
    await this.events?.publish({ kind: 'signing-key' });
    return rotated;
  }

  /**
   * Re-seals every signing key under the current key-encryption key, for a KEK rotation: set the
   * new SIGNING_KEY_ENCRYPTION_KEY with the old one in SIGNING_KEY_ENCRYPTION_KEYS_PREVIOUS, run
   * this (the CLI's `rotate-key-encryption-key`), then drop the old one. Returns how many rows changed.
   */
  resealAll(): Promise<number> {
    return this.keys.resealAll((row) =>
      row.privateKeyEncrypted && !row.privateKeyPem && !this.encryption.isStale(row.privateKeyEncrypted)
        ? undefined
        : this.encryption.seal(this.privatePem(row), row.kid),
    );
  }

  /** Rows written before keys were encrypted at rest hold a clear PEM: seal them now. */
  private async sealClearTextKeys(): Promise<void> {
    if (!(await this.keys.countClearText())) return;
    const sealed = await this.resealAll();
    this.logger.log(`sealed ${sealed} clear-text signing key(s) under the key-encryption key`);
  }

  private privatePem(row: StoredSigningKey): string {
    if (row.privateKeyEncrypted) return this.encryption.open(row.privateKeyEncrypted, row.kid);
    if (row.privateKeyPem) return row.privateKeyPem;
    throw new Error(`signing key ${row.kid} has no private key`);
  }

  private async insertNewKey(alg: SigningAlg): Promise<void> {
    const material = await this.generate(alg);
    // Two processes starting on an empty database race here; the partial unique index on
    // (alg) WHERE active lets exactly one win, and the loser reads the winner's key.
    await this.keys.insertActiveIfNone(material);
    this.logger.log(`generated ${alg} signing key ${material.kid}`);
  }

  private async generate(alg: SigningAlg): Promise<StoredSigningKey> {
    const { publicKey, privateKey } = await generateSigningKeyPair(alg);
    const publicJwk = publicJwkOf(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk as Parameters<typeof calculateJwkThumbprint>[0], 'sha256');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    return { kid, alg, publicJwk, privateKeyEncrypted: this.encryption.seal(pem, kid) };
  }
}
