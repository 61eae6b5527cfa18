import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { TokenFormatName } from '../clients/client';
import { RevocationEntity, TokenEntity } from '../persistence/entities';
import type { TokenLookup, TokenRecordKey } from './token-format';

/** A stored token: what introspection and revocation answer from. */
export interface StoredToken {
  jti: string;
  format: TokenFormatName;
  clientId: string;
  scope: string;
  iat: number;
  exp: number;
  revokedAt: Date | null;
  /** Whether the owning client is still enabled (a disabled client's tokens are inactive). */
  clientEnabled: boolean;
}

/** Persistence port for tokens and the JWT revocation feed. */
export interface TokenRepository {
  insert(record: TokenRecordKey & { clientId: string; scope: string; iat: number; exp: number }): Promise<void>;
  find(lookup: TokenLookup): Promise<StoredToken | undefined>;
  /**
   * Marks the token revoked; a JWT also gets a row in the revocation feed. Idempotent. Returns
   * whether this call revoked it.
   */
  revoke(jti: string): Promise<boolean>;
  /** Feed rows with id > after (or, without `after`, those of unexpired tokens), oldest first. */
  revocationsAfter(after: bigint | undefined, now: number, limit: number): Promise<Array<{ id: string; jti: string; exp: number }>>;
  /** Id of the newest feed row, or undefined when nothing was ever revoked. */
  lastRevocationId(): Promise<string | undefined>;
}

export const TOKEN_REPOSITORY = Symbol('TOKEN_REPOSITORY');

/** Any constant: it only serialises writers of the revocation feed (see revoke()). */
const REVOCATION_FEED_LOCK = 7009;

@Injectable()
export class TypeOrmTokenRepository implements TokenRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(record: TokenRecordKey & { clientId: string; scope: string; iat: number; exp: number }): Promise<void> {
    await this.db.getRepository(TokenEntity).insert(record);
  }

  async find(lookup: TokenLookup): Promise<StoredToken | undefined> {
    const [column, value] = 'jti' in lookup ? ['t.jti', lookup.jti] : ['t.token_hash', lookup.tokenHash];
    const rows: Array<{
      jti: string;
      format: TokenFormatName;
      client_id: string;
      scope: string;
      iat: string;
      exp: string;
      revoked_at: Date | null;
      enabled: boolean;
    }> = await this.db.query(
      `SELECT t.jti, t.format, t.client_id, t.scope, t.iat, t.exp, t.revoked_at, c.enabled
         FROM tokens t JOIN clients c ON c.client_id = t.client_id
        WHERE ${column} = $1`,
      [value],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      jti: row.jti,
      format: row.format,
      clientId: row.client_id,
      scope: row.scope,
      iat: Number(row.iat),
      exp: Number(row.exp),
      revokedAt: row.revoked_at,
      clientEnabled: row.enabled,
    };
  }

  async revoke(jti: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const revoked: Array<{ format: string; exp: string }> = await tx.query(
        // (Wrapped in a SELECT: TypeORM returns [rows, count] for a bare UPDATE … RETURNING.)
        `WITH r AS (UPDATE tokens SET revoked_at = now() WHERE jti = $1 AND revoked_at IS NULL RETURNING format, exp)
         SELECT format, exp FROM r`,
        [jti],
      );
      const token = revoked[0];
      if (!token) return false;
      if (token.format === 'jwt') {
        // bigserial ids are handed out at insert time but become visible at commit, so two
        // concurrent revocations could commit out of id order and a poller that already moved
        // its cursor past the later id would miss the earlier one. Serialising the (rare)
        // writers makes commit order equal id order.
        await tx.query(`SELECT pg_advisory_xact_lock($1)`, [REVOCATION_FEED_LOCK]);
        await tx.getRepository(RevocationEntity).insert({ jti, exp: Number(token.exp) });
      }
      return true;
    });
  }

  async revocationsAfter(after: bigint | undefined, now: number, limit: number) {
    const rows: Array<{ id: string; jti: string; exp: string }> =
      after === undefined
        ? await this.db.query(`SELECT id, jti, exp FROM revocations WHERE exp > $1 ORDER BY id LIMIT $2`, [now, limit])
        : await this.db.query(`SELECT id, jti, exp FROM revocations WHERE id > $1 ORDER BY id LIMIT $2`, [after.toString(), limit]);
    return rows.map((row) => ({ id: String(row.id), jti: row.jti, exp: Number(row.exp) }));
  }

  async lastRevocationId(): Promise<string | undefined> {
    const rows: Array<{ id: string | null }> = await this.db.query(`SELECT max(id) AS id FROM revocations`);
    return rows[0]?.id === null || rows[0]?.id === undefined ? undefined : String(rows[0].id);
  }
}
