import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsNull, Not, type DataSource } from 'typeorm';
import { SigningKeyEntity } from '../persistence/entities';
import type { SigningKeyRepository, StoredSigningKey } from './signing-key.repository.port';

/** The `signing_keys` table (TypeORM adapter of SigningKeyRepository). */
@Injectable()
export class TypeOrmSigningKeyRepository implements SigningKeyRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async findActive(alg: string): Promise<StoredSigningKey | undefined> {
    return (await this.keys().findOneBy({ status: 'active', alg })) ?? undefined;
  }

  async findByKid(kid: string): Promise<StoredSigningKey | undefined> {
    return (await this.keys().findOneBy({ kid })) ?? undefined;
  }

  async published(now: number): Promise<Array<Pick<StoredSigningKey, 'kid' | 'alg' | 'publicJwk'>>> {
    const rows: Array<{ kid: string; alg: string; public_jwk: Record<string, string> }> = await this.db.query(
      `SELECT k.kid, k.alg, k.public_jwk FROM signing_keys k
        WHERE k.status IN ('active', 'next')
           OR EXISTS (SELECT 1 FROM tokens t WHERE t.kid = k.kid AND t.exp > $1)
        ORDER BY k.created_at DESC, k.kid`,
      [now],
    );
    return rows.map((row) => ({ kid: row.kid, alg: row.alg, publicJwk: row.public_jwk }));
  }

  async insertActiveIfNone(key: StoredSigningKey): Promise<void> {
    // The partial unique index on (alg) WHERE active lets exactly one racing insert win.
    await this.db
      .createQueryBuilder()
      .insert()
      .into(SigningKeyEntity)
      .values({ ...key, status: 'active' })
      .orIgnore()
      .execute();
  }

  async rotateTo(key: StoredSigningKey): Promise<string | undefined> {
    return this.db.transaction(async (tx) => {
      const repo = tx.getRepository(SigningKeyEntity);
      const current = await repo.findOne({ where: { status: 'active', alg: key.alg }, lock: { mode: 'pessimistic_write' } });
      const waiting = await repo.findOne({ where: { status: 'next', alg: key.alg }, lock: { mode: 'pessimistic_write' } });
      if (waiting) await repo.update({ kid: waiting.kid }, { status: 'retired', retiredAt: new Date(), activatesAt: null });
      if (current) await repo.update({ kid: current.kid }, { status: 'retired', retiredAt: new Date() });
      await repo.insert({ ...key, status: 'active' });
      return current?.kid;
    });
  }

  async prepublish(key: StoredSigningKey, afterSeconds: number): Promise<{ current?: string; activatesAt: Date }> {
    return this.db.transaction(async (tx) => {
      const repo = tx.getRepository(SigningKeyEntity);
      const current = await repo.findOne({ where: { status: 'active', alg: key.alg }, lock: { mode: 'pessimistic_write' } });
      const waiting = await repo.findOne({ where: { status: 'next', alg: key.alg }, lock: { mode: 'pessimistic_write' } });
      if (waiting) {
        throw new Error(
          `${key.alg} signing key ${waiting.kid} is already waiting to activate at ${waiting.activatesAt?.toISOString()}; use --now to replace it at once`,
        );
      }
      const [{ at }]: Array<{ at: Date }> = await tx.query(`SELECT now() + make_interval(secs => $1) AS at`, [afterSeconds]);
      await repo.insert({ ...key, status: 'next', activatesAt: at });
      return { current: current?.kid, activatesAt: at };
    });
  }

  async activeAndNext(alg: string): Promise<{ active?: StoredSigningKey; next?: { kid: string; msUntilActive: number } }> {
    const rows: Array<{
      kid: string;
      alg: string;
      public_jwk: Record<string, string>;
      private_key_encrypted: string | null;
      private_key_pem: string | null;
      status: string;
      ms_until_active: number;
    }> = await this.db.query(
      `SELECT kid, alg, public_jwk, private_key_encrypted, private_key_pem, status,
              greatest(0, coalesce(extract(epoch FROM activates_at - now()) * 1000, 0))::float8 AS ms_until_active
         FROM signing_keys WHERE alg = $1 AND status IN ('active', 'next')`,
      [alg],
    );
    const active = rows.find((row) => row.status === 'active');
    const next = rows.find((row) => row.status === 'next');
    return {
      active: active && {
        kid: active.kid,
        alg: active.alg,
        publicJwk: active.public_jwk,
        privateKeyEncrypted: active.private_key_encrypted,
        privateKeyPem: active.private_key_pem,
      },
      next: next && { kid: next.kid, msUntilActive: Number(next.ms_until_active) },
    };
  }

  async promoteDue(): Promise<string[]> {
    return this.db.transaction(async (tx) => {
      const due: Array<{ kid: string; alg: string }> = await tx.query(
        `SELECT kid, alg FROM signing_keys WHERE status = 'next' AND activates_at <= now() FOR UPDATE SKIP LOCKED`,
      );
      for (const { kid, alg } of due) {
        await tx.query(`UPDATE signing_keys SET status = 'retired', retired_at = now() WHERE status = 'active' AND alg = $1`, [alg]);
        await tx.query(`UPDATE signing_keys SET status = 'active', activates_at = NULL WHERE kid = $1`, [kid]);
      }
      return due.map((row) => row.kid);
    });
  }

  countClearText(): Promise<number> {
    return this.keys().countBy({ privateKeyPem: Not(IsNull()) });
  }

  async resealAll(reseal: (key: StoredSigningKey) => string | undefined): Promise<number> {
    return this.db.transaction(async (tx) => {
      const repo = tx.getRepository(SigningKeyEntity);
      let changed = 0;
      for (const row of await repo.find({ lock: { mode: 'pessimistic_write' } })) {
        const sealed = reseal(row);
        if (sealed === undefined) continue;
        await repo.update({ kid: row.kid }, { privateKeyEncrypted: sealed, privateKeyPem: null });
        changed++;
      }
      return changed;
    });
  }

  private keys() {
    return this.db.getRepository(SigningKeyEntity);
  }
}
