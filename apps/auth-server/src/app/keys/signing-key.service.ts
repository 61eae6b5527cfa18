import { createPrivateKey, createPublicKey, generateKeyPair as generateKeyPairCb, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { Inject, Injectable, Logger, OnModuleInit, Optional } from '@nestjs/common';
import { calculateJwkThumbprint } from 'jose';
import { AuditService } from '../audit/audit.service';
import { CACHE_EVENTS, type CacheEvents } from '../cache-events/cache-events.port';
import { AUTH_SERVER_CONFIG, type AuthServerConfig } from '../config';
import { SIGNING_KEY_REPOSITORY, type SigningKeyRepository, type StoredSigningKey } from './signing-key.repository.port';

const generateKeyPair = promisify(generateKeyPairCb);

export const SIGNING_ALG = 'RS256';
/** RSA modulus size: the floor RFC 7518 §3.3 sets for RS256 (NIST: fine through 2030). */
const RSA_BITS = 2048;

export interface ActiveSigningKey {
  kid: string;
  privateKey: KeyObject;
}

/** A published key of the JWKS (RFC 7517): public RSA parameters only. */
export interface PublicJwk {
  kty: string;
  kid: string;
  use: 'sig';
  alg: string;
  n: string;
  e: string;
}

/**
 * The RSA keys that sign JWT access tokens: generated on first start, kept in Postgres
 * (see SigningKeyEntity for why a database is a playground trade-off), rotatable. A rotation
 * retires the active key rather than deleting it, and the JWKS keeps publishing a retired key
 * for as long as any token signed with it has not expired.
 */
@Injectable()
export class SigningKeyService implements OnModuleInit {
  private readonly logger = new Logger(SigningKeyService.name);
  private active?: { key: ActiveSigningKey; loadedAt: number; nextCheckAt: number };
  private readonly publicKeys = new Map<string, KeyObject>();

  constructor(
    @Inject(SIGNING_KEY_REPOSITORY) private readonly keys: SigningKeyRepository,
    private readonly audit: AuditService,
    @Inject(AUTH_SERVER_CONFIG) private readonly config: AuthServerConfig,
    @Optional() @Inject(CACHE_EVENTS) private readonly events?: CacheEvents,
  ) {
    // A rotation in another process (or the CLI) reaches this one at once rather than after
    // SIGNING_KEY_REFRESH_SECONDS (ADR 0011); the refresh stays as the bound if an event is lost.
    events?.subscribe((event) => {
      if (event.kind !== 'client') this.active = undefined;
    });
  }

  async onModuleInit(): Promise<void> {
    await this.activeKey();
  }

  /**
   * The key to sign with. Re-read every SIGNING_KEY_REFRESH_SECONDS so that a rotation done by
   * the CLI reaches running servers; until then they sign with the retired key, which stays
   * published because its tokens are recorded with its kid. A pre-published `next` key is
   * promoted by the first server that reads it after its `activates_at` (database time), and
   * every server re-reads at that moment, so all switch together.
   */
  async activeKey(): Promise<ActiveSigningKey> {
    const now = Date.now();
    if (this.active && now - this.active.loadedAt < this.config.SIGNING_KEY_REFRESH_SECONDS * 1000 && now < this.active.nextCheckAt) {
      return this.active.key;
    }
    let { active: row, next } = await this.keys.activeAndNext();
    if (next?.msUntilActive === 0) {
      for (const kid of await this.keys.promoteDue()) this.logger.log(`pre-published signing key ${kid} is now active`);
      ({ active: row, next } = await this.keys.activeAndNext());
    }
    if (!row) {
      await this.insertNewKey();
      row = await this.keys.findActive();
      if (!row) throw new Error('no active signing key after inserting one');
    }
    const key = { kid: row.kid, privateKey: createPrivateKey(row.privateKeyPem) };
    // A promotion another server holds the lock for is re-checked a second later, not per request.
    const nextCheckAt = next ? now + Math.max(next.msUntilActive, 1000 * Number(next.msUntilActive === 0)) : Infinity;
    this.active = { key, loadedAt: now, nextCheckAt };
    return key;
  }

  /** Public key of any key this server ever published (active or retired), by kid. */
  async publicKey(kid: string): Promise<KeyObject | undefined> {
    const cached = this.publicKeys.get(kid);
    if (cached) return cached;
    const row = await this.keys.findByKid(kid);
    if (!row) return undefined;
    const key = createPublicKey({ key: row.publicJwk, format: 'jwk' });
    this.publicKeys.set(kid, key);
    return key;
  }

  /**
   * RFC 7517 JWK Set: the active key, the pre-published next key, and every retired key that
   * still has unexpired tokens.
   */
  async jwks(now = Math.floor(Date.now() / 1000)): Promise<{ keys: PublicJwk[] }> {
    const rows = await this.keys.published(now);
    return {
      keys: rows.map((row) => ({
        kty: row.publicJwk['kty'],
        kid: row.kid,
        use: 'sig',
        alg: row.alg,
        n: row.publicJwk['n'],
        e: row.publicJwk['e'],
      })),
    };
  }

  /**
   * Rollover (docs/contract.md, "Tokens"). By default the new key is published at once
   * as `next` and signs only after SIGNING_KEY_PREPUBLISH_SECONDS, so no resource server meets
   * an unknown kid; throws if a key is already waiting. `now: true` (key compromise) activates a
   * new key at once and drops any waiting one: resource servers whose JWKS cache predates it
   * refuse its tokens until they refetch (an unknown kid triggers that, once per cooldown).
   */
  async rotate(options: { now?: boolean } = {}): Promise<{ retired?: string; active: string; activatesAt?: Date }> {
    const material = await this.generate();
    const wait = options.now ? 0 : this.config.SIGNING_KEY_PREPUBLISH_SECONDS;
    if (wait > 0) {
      const { current, activatesAt } = await this.keys.prepublish(material, wait);
      this.active = undefined;
      // Every server re-reads now, so each learns when the waiting key activates (ADR 0011).
      await this.events?.publish({ kind: 'signing-key' });
      await this.audit.record('signing_key_rotated', null, { retired: current, active: material.kid, activatesAt: activatesAt.toISOString() });
      this.logger.log(`signing key ${material.kid} published; signs from ${activatesAt.toISOString()} (${current ?? '(none)'} until then)`);
      return { retired: current, active: material.kid, activatesAt };
    }
    const retired = await this.keys.rotateTo(material);
    this.active = undefined;
    await this.events?.publish({ kind: 'signing-key' });
    await this.audit.record('signing_key_rotated', null, { retired, active: material.kid, activatesAt: 'now' });
    this.logger.log(`signing key rotated: ${retired ?? '(none)'} → ${material.kid}`);
    return { retired, active: material.kid };
  }

  private async insertNewKey(): Promise<void> {
    const material = await this.generate();
    // Two processes starting on an empty database race here; the partial unique index on the
    // active status lets exactly one win, and the loser reads the winner's key.
    await this.keys.insertActiveIfNone(material);
    this.logger.log(`generated signing key ${material.kid}`);
  }

  private async generate(): Promise<StoredSigningKey> {
    const { publicKey, privateKey } = await generateKeyPair('rsa', { modulusLength: RSA_BITS, publicExponent: 0x10001 });
    const jwk = publicKey.export({ format: 'jwk' });
    const publicJwk = { kty: 'RSA', n: String(jwk.n), e: String(jwk.e) };
    return {
      kid: await calculateJwkThumbprint(publicJwk, 'sha256'),
      alg: SIGNING_ALG,
      publicJwk,
      privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    };
  }
}
