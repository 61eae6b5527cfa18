import { createPrivateKey, createPublicKey, generateKeyPair as generateKeyPairCb, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { calculateJwkThumbprint } from 'jose';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AUTH_SERVER_CONFIG, type AuthServerConfig } from '../config';
import { SigningKeyEntity } from '../persistence/entities';

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
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    @Inject(AUTH_SERVER_CONFIG) private readonly config: AuthServerConfig,
  ) {}

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
    let rows = await this.currentKeys();
    if (rows.some((row) => row.status === 'next' && row.due)) {
      await this.promoteDueKeys();
      rows = await this.currentKeys();
    }
    let row: { kid: string; privateKeyPem: string } | undefined = rows.find((candidate) => candidate.status === 'active');
    if (!row) {
      await this.insertNewKey();
      row = await this.keys().findOneByOrFail({ status: 'active' });
    }
    const pending = rows.find((candidate) => candidate.status === 'next');
    const key = { kid: row.kid, privateKey: createPrivateKey(row.privateKeyPem) };
    // A promotion another server holds the lock for is re-checked a second later, not per request.
    const nextCheckAt = pending ? Math.max(now + pending.msUntilActive, now + (pending.due ? 1000 : 0)) : Infinity;
    this.active = { key, loadedAt: now, nextCheckAt };
    return key;
  }

  /** Public key of any key this server ever published (active or retired), by kid. */
  async publicKey(kid: string): Promise<KeyObject | undefined> {
    const cached = this.publicKeys.get(kid);
    if (cached) return cached;
    const row = await this.keys().findOneBy({ kid });
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
    const rows: Array<Pick<SigningKeyEntity, 'kid' | 'alg'> & { public_jwk: Record<string, string> }> = await this.db.query(
      `SELECT k.kid, k.alg, k.public_jwk FROM signing_keys k
        WHERE k.status IN ('active', 'next')
           OR EXISTS (SELECT 1 FROM tokens t WHERE t.kid = k.kid AND t.exp > $1)
        ORDER BY k.created_at DESC, k.kid`,
      [now],
    );
    return {
      keys: rows.map((row) => ({
        kty: row.public_jwk['kty'],
        kid: row.kid,
        use: 'sig',
        alg: row.alg,
        n: row.public_jwk['n'],
        e: row.public_jwk['e'],
      })),
    };
  }

  /**
   * Rollover (CONTRACT.md Part 2, "Signing keys"). By default the new key is published at once
   * as `next` and signs only after SIGNING_KEY_PREPUBLISH_SECONDS, so no resource server meets
   * an unknown kid; throws if a key is already waiting. `now: true` (key compromise) activates a
   * new key at once and drops any waiting one: resource servers whose JWKS cache predates it
   * refuse its tokens until they refetch (an unknown kid triggers that, once per cooldown).
   */
  async rotate(options: { now?: boolean } = {}): Promise<{ retired?: string; active: string; activatesAt?: Date }> {
    const material = await this.generate();
    const prepublish = !options.now && this.config.SIGNING_KEY_PREPUBLISH_SECONDS > 0;
    const result = await this.db.transaction(async (tx) => {
      const repo = tx.getRepository(SigningKeyEntity);
      const current = await repo.findOne({ where: { status: 'active' }, lock: { mode: 'pessimistic_write' } });
      const waiting = await repo.findOne({ where: { status: 'next' }, lock: { mode: 'pessimistic_write' } });
      if (prepublish) {
        if (waiting) throw new Error(`signing key ${waiting.kid} is already waiting to activate at ${waiting.activatesAt?.toISOString()}; use --now to replace it at once`);
        const [{ at }]: Array<{ at: Date }> = await tx.query(`SELECT now() + make_interval(secs => $1) AS at`, [this.config.SIGNING_KEY_PREPUBLISH_SECONDS]);
        await repo.insert({ ...material, status: 'next', activatesAt: at });
        return { retired: current?.kid, activatesAt: at };
      }
      // A waiting key never signed anything: retired, it leaves the JWKS at once.
      if (waiting) await repo.update({ kid: waiting.kid }, { status: 'retired', retiredAt: new Date(), activatesAt: null });
      if (current) await repo.update({ kid: current.kid }, { status: 'retired', retiredAt: new Date() });
      await repo.insert({ ...material, status: 'active' });
      return { retired: current?.kid, activatesAt: undefined };
    });
    this.active = undefined;
    await this.audit.record('signing_key_rotated', null, { retired: result.retired, active: material.kid, activatesAt: result.activatesAt?.toISOString() ?? 'now' });
    if (result.activatesAt) {
      this.logger.log(`signing key ${material.kid} published; signs from ${result.activatesAt.toISOString()} (${result.retired ?? '(none)'} until then)`);
      return { retired: result.retired, active: material.kid, activatesAt: result.activatesAt };
    }
    this.logger.log(`signing key rotated: ${result.retired ?? '(none)'} → ${material.kid}`);
    return { retired: result.retired, active: material.kid };
  }

  /** The active and next keys, with whether the next one is due (by the database's clock). */
  private currentKeys(): Promise<Array<{ kid: string; status: 'active' | 'next'; privateKeyPem: string; due: boolean; msUntilActive: number }>> {
    return this.db.query(
      `SELECT kid, status, private_key_pem AS "privateKeyPem",
              coalesce(activates_at <= now(), false) AS due,
              greatest(0, coalesce(extract(epoch FROM activates_at - now()) * 1000, 0))::float8 AS "msUntilActive"
         FROM signing_keys WHERE status IN ('active', 'next')`,
    );
  }

  /** `next` → `active`, `active` → `retired`, once, whichever server gets the row lock first. */
  private async promoteDueKeys(): Promise<void> {
    const promoted = await this.db.transaction(async (tx) => {
      const due: Array<{ kid: string; alg: string }> = await tx.query(
        `SELECT kid, alg FROM signing_keys WHERE status = 'next' AND activates_at <= now() FOR UPDATE SKIP LOCKED`,
      );
      for (const { kid, alg } of due) {
        await tx.query(`UPDATE signing_keys SET status = 'retired', retired_at = now() WHERE status = 'active' AND alg = $1`, [alg]);
        await tx.query(`UPDATE signing_keys SET status = 'active', activates_at = NULL WHERE kid = $1`, [kid]);
      }
      return due.map((row) => row.kid);
    });
    for (const kid of promoted) this.logger.log(`pre-published signing key ${kid} is now active`);
  }

  private async insertNewKey(): Promise<void> {
    const material = await this.generate();
    // Two processes starting on an empty database race here; the partial unique index on the
    // active status lets exactly one win, and the loser reads the winner's key.
    await this.db
      .createQueryBuilder()
      .insert()
      .into(SigningKeyEntity)
      .values({ ...material, status: 'active' })
      .orIgnore()
      .execute();
    this.logger.log(`generated signing key ${material.kid}`);
  }

  private async generate(): Promise<Pick<SigningKeyEntity, 'kid' | 'alg' | 'publicJwk' | 'privateKeyPem'>> {
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

  private keys() {
    return this.db.getRepository(SigningKeyEntity);
  }
}
