import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { pgPoolOf } from '@playground/database';
import type { QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';
import type { ClientConfirmation } from '../client-auth/client-changed.error';
import type { TokenFormatName } from '../clients/client';
import { RevocationEntity } from '../persistence/entities';
import type { TokenLookup } from './token-format';
import type { NewTokenRecord, StoredToken, TokenRepository } from './token.repository.port';

/** Any constant: it only serialises writers of the revocation feed (see revoke()). */
const REVOCATION_FEED_LOCK = 7009;

interface TokenRow {
  jti: string;
  format: TokenFormatName;
  client_id: string;
  scope: string;
  iat: string;
  exp: string;
  revoked_at: Date | null;
  audience: string[] | null;
  cnf_jkt: string | null;
  enabled: boolean;
}

function lookupColumn(lookup: TokenLookup): [string, string | Buffer] {
  return 'jti' in lookup ? ['t.jti', lookup.jti] : ['t.token_hash', lookup.tokenHash];
}

function toStoredToken(row: TokenRow): StoredToken {
  return {
    jti: row.jti,
    format: row.format,
    clientId: row.client_id,
    scope: row.scope,
    iat: Number(row.iat),
    exp: Number(row.exp),
    revokedAt: row.revoked_at,
    audience: row.audience ?? null,
    cnfJkt: row.cnf_jkt ?? null,
    clientEnabled: row.enabled,
  };
}

/** Tokens and the revocation feed in Postgres (TypeORM/pg adapter of TokenRepository). */
@Injectable()
export class TypeOrmTokenRepository implements TokenRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The hot statements run as named prepared statements on the DataSource's own pg pool: each
   * pooled connection parses and plans them once instead of on every request (TypeORM's
   * `query()` sends unnamed statements, which Postgres re-plans each time). Same pool, same
   * search_path, still parameterised.
   */
  private async prepared<T extends QueryResultRow>(name: string, text: string, values: unknown[]): Promise<T[]> {
    return (await pgPoolOf(this.db).query<T>({ name, text, values })).rows;
  }

  async insertIssued(record: NewTokenRecord, confirm: ClientConfirmation, audit: Record<string, unknown>): Promise<boolean> {
    // Raw SQL, not TypeORM's insert + save: the token row, the audit row and the client check
    // were three statements and two commits (~5 round trips with BEGIN/COMMIT); this is one.
    // Both inserts read from `c`, so a rotated or disabled client writes nothing at all.
    const rows = await this.prepared<{ jti: string }>(
      'auth_server_issue_token_v2',
      `WITH c AS (
         SELECT client_id FROM clients WHERE client_id = $1::text AND enabled AND secret_version = $2::integer
       ), t AS (
         INSERT INTO tokens (jti, format, token_hash, kid, client_id, scope, iat, exp, audience, cnf_jkt)
         SELECT $3::text, $4::text, $5::bytea, $6::text, c.client_id, $7::text, $8::bigint, $9::bigint, $11::text[], $12::text FROM c
         RETURNING jti
       ), a AS (
         INSERT INTO audit_log (event, client_id, detail)
         SELECT 'token_issued', c.client_id, $10::jsonb FROM c, t
       )
       SELECT jti FROM t`,
      [
        confirm.clientId,
        confirm.secretVersion,
        record.jti,
        record.format,
        record.tokenHash,
        record.kid,
        record.scope,
        record.iat,
        record.exp,
        JSON.stringify(audit),
        record.audience,
        record.cnfJkt,
      ],
    );
    return rows.length === 1;
  }

  async find(lookup: TokenLookup): Promise<StoredToken | undefined> {
    const [column, value] = lookupColumn(lookup);
    const rows: TokenRow[] = await this.db.query(
      `SELECT t.jti, t.format, t.client_id, t.scope, t.iat, t.exp, t.revoked_at, t.audience, t.cnf_jkt, c.enabled
         FROM tokens t JOIN clients c ON c.client_id = t.client_id
        WHERE ${column} = $1`,
      [value],
    );
    return rows[0] ? toStoredToken(rows[0]) : undefined;
  }

  async findForCaller(lookup: TokenLookup | undefined, caller: ClientConfirmation) {
    const [column, value] = lookup ? lookupColumn(lookup) : ['t.jti', null];
    const rows = await this.prepared<Partial<TokenRow> & { caller_valid: boolean }>(
      // One plan per lookup column: the column is part of the statement text.
      `auth_server_find_for_caller_v2_${column === 't.jti' ? 'jti' : 'hash'}`,
      `SELECT (k.enabled AND k.secret_version = $3::integer) AS caller_valid,
              t.jti, t.format, t.client_id, t.scope, t.iat, t.exp, t.revoked_at, t.audience, t.cnf_jkt, c.enabled
         FROM clients k
         LEFT JOIN (tokens t JOIN clients c ON c.client_id = t.client_id) ON ${column} = $1
        WHERE k.client_id = $2::text`,
      [value, caller.clientId, caller.secretVersion],
    );
    const row = rows[0];
    if (!row?.caller_valid) return { callerValid: false };
    return { callerValid: true, token: row.jti ? toStoredToken(row as TokenRow) : undefined };
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
