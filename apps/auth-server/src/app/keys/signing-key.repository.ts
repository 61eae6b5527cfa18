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
        WHERE k.status = 'active'
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
      if (current) await repo.update({ kid: current.kid }, { status: 'retired', retiredAt: new Date() });
      await repo.insert({ ...key, status: 'active' });
      return current?.kid;
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
