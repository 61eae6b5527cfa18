import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { batchWhileBusy, pgPoolOf } from '@playground/database';
import type { QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';
import type { ClientConfirmation } from '../client-auth/client-changed.error';
import type { TokenFormatName } from '../clients/client';
import { RevocationEntity } from '../persistence/entities';
import type { TokenLookup } from './token-format';
import type { NewTokenRecord, StoredToken, TokenRepository } from './token.repository.port';

/** Any constant: it only serialises writers of the revocation feed (see revoke()). */
const REVOCATION_FEED_LOCK = 7009;

/**
 * Most tokens in one insert statement (its JSON parameter is ~0.4 KB a token). Under the
 * bench's 50 connections batches hold about 12; the cap only bounds a burst.
 */
const ISSUE_BATCH_SIZE = 200;
/**
 * Insert statements running at once. Fewer means bigger batches and less CPU per token on both
 * sides: measured 1 ≈ 2 (1 was ~5 % faster), 4 and 8 slower (docs/adr/0012-hot-paths.md). 2, so
 * that one statement delayed by the scheduler or the network does not hold up every issue.
 */
const ISSUE_BATCHES_IN_FLIGHT = 2;

/** One insertIssued call, as it waits in a batch. */
interface IssueKey {
  record: NewTokenRecord;
  confirm: ClientConfirmation;
  audit: Record<string, unknown>;
}

/** An IssueKey as one element of the statement's JSON array (bytea as hex). */
function toIssueRow({ record, confirm, audit }: IssueKey) {
  return {
    client_id: confirm.clientId,
    secret_version: confirm.secretVersion,
    jti: record.jti,
    format: record.format,
    token_hash: record.tokenHash?.toString('hex') ?? null,
    kid: record.kid,
    scope: record.scope,
    iat: record.iat,
    exp: record.exp,
    audience: record.audience,
    cnf_jkt: record.cnfJkt,
    detail: audit,
  };
}

// `ok` (the rows whose client is still enabled at the confirmed secret version) is read by
// both inserts, so a token row and its audit row are written together or not at all.
const ISSUE_TOKENS_SQL = `
  WITH ok AS (
    SELECT r.* FROM jsonb_to_recordset($1::jsonb) AS r(
             client_id text, secret_version integer, jti text, format text, token_hash text, kid text,
             scope text, iat bigint, exp bigint, audience text[], cnf_jkt text, detail jsonb)
      JOIN clients c ON c.client_id = r.client_id AND c.enabled AND c.secret_version = r.secret_version
  ), t AS (
    INSERT INTO tokens (jti, format, token_hash, kid, client_id, scope, iat, exp, audience, cnf_jkt)
    SELECT jti, format, decode(token_hash, 'hex'), kid, client_id, scope, iat, exp, audience, cnf_jkt FROM ok
    RETURNING jti
  ), a AS (
    INSERT INTO audit_log (event, client_id, detail)
    SELECT 'token_issued', ok.client_id, ok.detail FROM ok
  )
  SELECT jti FROM t`;

/** Most lookups in one statement. */
const LOOKUP_BATCH_SIZE = 200;
/** Lookup statements running at once (reads: no WAL flush to wait for). */
const LOOKUP_BATCHES_IN_FLIGHT = 2;

/** One findForCaller call, as it waits in a batch; `value`: a jti, or a token hash in hex. */
interface CallerLookup {
  value: string | null;
  caller: ClientConfirmation;
}

type CallerLookupResult = { callerValid: boolean; token?: StoredToken };

function findForCallersSql(match: string): string {
  return `
  SELECT r.i, (k.enabled AND k.secret_version = r.secret_version) AS caller_valid,
         t.jti, t.format, t.client_id, t.scope, t.iat, t.exp, t.revoked_at, t.audience, t.cnf_jkt, t.enabled
    FROM jsonb_to_recordset($1::jsonb) AS r(i integer, v text, caller text, secret_version integer)
    JOIN clients k ON k.client_id = r.caller
    LEFT JOIN LATERAL (
      SELECT t.jti, t.format, t.client_id, t.scope, t.iat, t.exp, t.revoked_at, t.audience, t.cnf_jkt, c.enabled
        FROM tokens t JOIN clients c ON c.client_id = t.client_id
       WHERE ${match}
    ) t ON true`;
}
const FIND_FOR_CALLERS_BY_JTI_SQL = findForCallersSql(`t.jti = r.v`);
const FIND_FOR_CALLERS_BY_HASH_SQL = findForCallersSql(`t.token_hash = decode(r.v, 'hex')`);

/** SQLSTATE class 22 (data exception) or 54000 (value too long for an index): one row's content. */
function isDataException(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('22') || code === '54000');
}

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

/**
 * Tokens and the revocation feed in Postgres (TypeORM/pg adapter of TokenRepository). The two
 * hot paths batch concurrent calls into one statement each (batchWhileBusy): token issues share
 * one commit (group commit), introspection lookups one read. ADR 0012.
 */
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

  /**
   * Group commit in the application: concurrent issues become one multi-row statement, one
   * transaction, one WAL flush (see insertBatch). A caller is answered after its batch committed.
   */
  private readonly issued = batchWhileBusy<IssueKey, boolean>((keys) => this.insertBatch(keys), {
    name: 'auth-server.tokens.insertIssued',
    maxBatchSize: ISSUE_BATCH_SIZE,
    maxInFlight: ISSUE_BATCHES_IN_FLIGHT,
  });

  insertIssued(record: NewTokenRecord, confirm: ClientConfirmation, audit: Record<string, unknown>): Promise<boolean> {
    return this.issued.load({ record, confirm, audit });
  }

  /**
   * One statement for the whole batch: the rows travel as one JSON array (jsonb_to_recordset;
   * arrays of text[] do not fit `unnest`), each row is kept only if ITS client is still enabled
   * at ITS secret version, and the token rows and their audit rows are inserted together, in
   * one implicit transaction. The jtis RETURNING says which callers' rows were written.
   *
   * A data exception (SQLSTATE class 22, 54000: a value Postgres cannot take) is caused by one
   * row's content, not by the batch: the rows are then written one by one, so only that caller
   * gets its 400 and the others their tokens. Any other failure (Postgres unreachable) rejects
   * every caller of the batch; none of them is answered 200.
   */
  private async insertBatch(keys: readonly IssueKey[]): Promise<Array<boolean | Error>> {
    try {
      const written = new Set(
        (await this.prepared<{ jti: string }>('auth_server_issue_tokens_v3', ISSUE_TOKENS_SQL, [JSON.stringify(keys.map(toIssueRow))])).map(
          (row) => row.jti,
        ),
      );
      return keys.map((key) => written.has(key.record.jti));
    } catch (error) {
      if (keys.length === 1 || !isDataException(error)) throw error;
      return Promise.all(
        keys.map((key) =>
          this.insertBatch([key]).then(
            ([one]) => one,
            (e: Error) => e,
          ),
        ),
      );
    }
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

  /**
   * Batched reads, one loader per lookup column (each its own prepared statement and plan): the
   * lookups that arrive while a statement runs go out together as the next one.
   */
  private readonly lookups = {
    jti: batchWhileBusy<CallerLookup, CallerLookupResult>((keys) => this.findBatch('jti', keys), {
      name: 'auth-server.tokens.findForCaller.jti',
      maxBatchSize: LOOKUP_BATCH_SIZE,
      maxInFlight: LOOKUP_BATCHES_IN_FLIGHT,
    }),
    hash: batchWhileBusy<CallerLookup, CallerLookupResult>((keys) => this.findBatch('hash', keys), {
      name: 'auth-server.tokens.findForCaller.hash',
      maxBatchSize: LOOKUP_BATCH_SIZE,
      maxInFlight: LOOKUP_BATCHES_IN_FLIGHT,
    }),
  };

  findForCaller(lookup: TokenLookup | undefined, caller: ClientConfirmation): Promise<CallerLookupResult> {
    // No lookup (only the caller check): a jti that matches nothing.
    if (!lookup) return this.lookups.jti.load({ value: null, caller });
    if ('jti' in lookup) return this.lookups.jti.load({ value: lookup.jti, caller });
    return this.lookups.hash.load({ value: lookup.tokenHash.toString('hex'), caller });
  }

  /**
   * One statement for a batch of lookups: each element of the JSON array gets its caller check
   * (enabled at the confirmed secret version; an unknown caller is invalid) and its token, if
   * any, matched by `i`, its index in the batch. LATERAL keeps one index lookup per element
   * whatever the planner guesses about the JSON's row count.
   */
  private async findBatch(column: 'jti' | 'hash', keys: readonly CallerLookup[]): Promise<CallerLookupResult[]> {
    const rows = await this.prepared<Partial<TokenRow> & { i: number; caller_valid: boolean | null }>(
      `auth_server_find_for_callers_v3_${column}`,
      column === 'jti' ? FIND_FOR_CALLERS_BY_JTI_SQL : FIND_FOR_CALLERS_BY_HASH_SQL,
      [JSON.stringify(keys.map((key, i) => ({ i, v: key.value, caller: key.caller.clientId, secret_version: key.caller.secretVersion })))],
    );
    const results: CallerLookupResult[] = keys.map(() => ({ callerValid: false }));
    for (const row of rows) {
      if (row.caller_valid) results[row.i] = { callerValid: true, token: row.jti ? toStoredToken(row as TokenRow) : undefined };
    }
    return results;
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
