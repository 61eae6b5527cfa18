import { NestFactory } from '@nestjs/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { INestApplicationContext } from '@nestjs/common';
import { CliModule } from '../src/app/cli/cli.module';
import { runCommand } from '../src/app/cli/client-commands';
import { ClientAdminService } from '../src/app/clients/client-admin.service';
import { JANITOR_JOB } from '../src/app/janitor/janitor-scheduler.service';
import { JANITOR_REPOSITORY, type JanitorRepository } from '../src/app/janitor/janitor.repository.port';
import { JanitorService } from '../src/app/janitor/janitor.service';
import { ResourceRegistry } from '../src/app/resources/resource-registry';
import { SigningKeyService } from '../src/app/keys/signing-key.service';
import {
  basic,
  call,
  createTestDatabase,
  postForm,
  SEEDED,
  sql,
  startAuthServer,
  tokenFor,
  type TestAuthServer,
  type TestDatabase,
} from './support/auth-server';

const GRACE = 600;
const RETENTION_DAYS = 30;
const JANITOR_ENV = { JANITOR_CRON: 'off', JANITOR_GRACE_SECONDS: String(GRACE), AUDIT_RETENTION_DAYS: String(RETENTION_DAYS) };
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** `n` opaque tokens of the seeded opaque client that expired at `exp` (rows only, as a day of traffic leaves them). */
async function insertTokens(db: TestDatabase, prefix: string, n: number, exp: number): Promise<void> {
  await sql(
    db,
    `INSERT INTO tokens (jti, format, token_hash, client_id, scope, iat, exp)
     SELECT $1 || i, 'opaque', decode(md5($1 || i), 'hex'), 'user-client-opaque', 'country.read', $3::bigint - 300, $3::bigint
       FROM generate_series(1, $2::int) i`,
    [prefix, n, exp],
  );
}

/** `n` revoked JWT rows that expired at `exp`, each with its revocation-feed row. */
async function insertRevokedJwts(db: TestDatabase, prefix: string, n: number, exp: number): Promise<void> {
  await sql(
    db,
    `WITH t AS (
       INSERT INTO tokens (jti, format, client_id, scope, iat, exp, revoked_at)
       SELECT $1 || i, 'jwt', 'service-client-jwt', 'country.read', $3::bigint - 300, $3::bigint, now()
         FROM generate_series(1, $2::int) i RETURNING jti, exp)
     INSERT INTO revocations (jti, exp) SELECT jti, exp FROM t`,
    [prefix, n, exp],
  );
}

async function countWhere(
  db: TestDatabase,
  table: 'tokens' | 'revocations' | 'audit_log',
  where = 'true',
  params: unknown[] = [],
): Promise<number> {
  const [row] = await sql<{ n: number }>(db, `SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params);
  return row.n;
}

describe('janitor: expired rows go in bounded batches, live rows stay', () => {
  let db: TestDatabase;
  let server: TestAuthServer;
  const asIntrospector = { authorization: basic(SEEDED.jwt.id, SEEDED.jwt.secret) };
  const introspect = (token: string) => postForm(`${server.baseUrl}/oauth2/introspect`, { token }, asIntrospector);
  const feed = (after?: string) =>
    call(`${server.baseUrl}/oauth2/revocations${after === undefined ? '' : `?after=${after}`}`, { headers: asIntrospector });
  const janitor = () => server.app.get(JanitorService);

  beforeAll(async () => {
    db = await createTestDatabase('auth_janitor');
    server = await startAuthServer(db, { env: JANITOR_ENV });
  });

  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  beforeEach(async () => {
    // Each test starts from live rows only (what the server itself issued).
    await janitor().sweep();
  });

  it('deletes tokens and feed rows expired past the grace, keeps live and just-expired ones, and the feed keeps every revocation of a valid token', async () => {
    const now = nowSeconds();
    const liveOpaque = await tokenFor(server.baseUrl, SEEDED.opaque);
    const liveJwt = await tokenFor(server.baseUrl, SEEDED.jwt);
    const { body: firstPoll } = await feed(); // a resource server's cursor from before the sweep
    expect(
      (await postForm(`${server.baseUrl}/oauth2/revoke`, { token: liveJwt }, { authorization: basic(SEEDED.jwt.id, SEEDED.jwt.secret) }))
        .status,
    ).toBe(200);
    await insertTokens(db, 'old-', 30, now - GRACE - 3600);
    await insertRevokedJwts(db, 'old-revoked-', 7, now - GRACE - 10);
    await insertTokens(db, 'in-grace-', 5, now - GRACE + 60);
    await insertRevokedJwts(db, 'in-grace-revoked-', 3, now - 5);

    const report = await janitor().sweep({ now });

    expect(report).toMatchObject({ tokens: 37, revocations: 7, yielded: false });
    expect(await countWhere(db, 'tokens', `jti LIKE 'old-%'`)).toBe(0);
    expect(await countWhere(db, 'revocations', `jti LIKE 'old-%'`)).toBe(0);
    expect(await countWhere(db, 'tokens', `jti LIKE 'in-grace-%'`)).toBe(8);
    expect(await countWhere(db, 'revocations', `jti LIKE 'in-grace-%'`)).toBe(3);
    expect((await introspect(liveOpaque)).body).toMatchObject({ active: true, client_id: SEEDED.opaque.id });
    // The resource server polling from its old cursor still learns of the live JWT's revocation.
    const { body: next } = await feed(firstPoll.cursor);
    expect(next.revocations.map((r: { jti: string }) => r.jti)).toEqual(
      expect.arrayContaining([...[1, 2, 3].map((i) => `in-grace-revoked-${i}`), jtiOf(liveJwt)]),
    );
    expect(next.revocations.some((r: { jti: string }) => r.jti.startsWith('old-'))).toBe(false);
    // …and its cursor never goes back, even when the newest feed rows were the ones deleted.
    expect(BigInt(next.cursor)).toBeGreaterThanOrEqual(BigInt(firstPoll.cursor));
    expect((await feed(next.cursor)).body).toEqual({ revocations: [], cursor: next.cursor });
  });

  it('a deleted token still introspects as exactly {"active":false}, and revoking it is still a 200 no-op', async () => {
    const token = await tokenFor(server.baseUrl, SEEDED.opaque);
    const { body: active } = await introspect(token);
    await sql(db, `UPDATE tokens SET exp = $2 WHERE jti = $1`, [active.jti, nowSeconds() - GRACE - 1]);
    const expired = await introspect(token);
    expect(expired.body).toEqual({ active: false });

    await janitor().sweep();

    expect(await countWhere(db, 'tokens', 'jti = $1', [active.jti])).toBe(0);
    const gone = await introspect(token);
    expect(gone.status).toBe(200);
    expect(gone.text).toBe(expired.text);
    const revoke = await postForm(
      `${server.baseUrl}/oauth2/revoke`,
      { token },
      { authorization: basic(SEEDED.opaque.id, SEEDED.opaque.secret) },
    );
    expect(revoke.status).toBe(200);
  });

  it('deletes at most batch-size rows per table (tokens, feed rows, assertion jtis) per transaction, and sweeps until a batch comes back short', async () => {
    const now = nowSeconds();
    await insertTokens(db, 'batch-', 45, now - GRACE - 100);
    await insertRevokedJwts(db, 'batch-revoked-', 12, now - GRACE - 100);
    // Spent private_key_jwt assertion ids: 25 long expired, 2 within the grace, 2 still live.
    const spend = (prefix: string, n: number, expiresAt: number) =>
      sql(
        db,
        `INSERT INTO client_assertion_jtis (client_id, jti, expires_at) SELECT 'service-client-jwt', $1 || i, $3::bigint FROM generate_series(1, $2::int) i`,
        [prefix, n, expiresAt],
      );
    await spend('old-', 25, now - GRACE - 100);
    await spend('in-grace-', 2, now - 30);
    await spend('live-', 2, now + 200);
    const repository = server.app.get<JanitorRepository>(JANITOR_REPOSITORY);

    const one = await repository.deleteBatch({ expiredBefore: now - GRACE, auditBefore: undefined, limit: 10 });
    expect(one).toEqual({ acquired: true, tokens: 10, revocations: 10, replayEntries: 10, auditEvents: 0 });
    expect(await countWhere(db, 'tokens', `jti LIKE 'batch-%'`)).toBe(47);

    const rest = await janitor().sweep({ now, batchSize: 10 });
    // 35 opaque + 12 JWTs (2 feed rows first, then their tokens): 5 batches of ≤ 10 tokens.
    expect(rest).toEqual({ tokens: 47, revocations: 2, replayEntries: 15, auditEvents: 0, batches: 5, yielded: false });
    const left = await sql<{ jti: string }>(db, `SELECT jti FROM client_assertion_jtis ORDER BY jti`);
    expect(left.map((r) => r.jti)).toEqual(['in-grace-1', 'in-grace-2', 'live-1', 'live-2']);
    expect(await countWhere(db, 'tokens', `jti LIKE 'batch-%'`)).toBe(0);
  });

  it('keeps audit rows for AUDIT_RETENTION_DAYS and deletes older ones', async () => {
    for (let i = 0; i < 3; i += 1) await tokenFor(server.baseUrl, SEEDED.opaque);
    const [{ id: lastOld }] = await sql<{ id: string }>(db, `SELECT max(id)::text AS id FROM audit_log`);
    const total = await countWhere(db, 'audit_log');
    // What a month and a half of traffic leaves: the oldest rows (lowest ids) are the old ones.
    await sql(db, `UPDATE audit_log SET at = now() - make_interval(days => $2::int) WHERE id <= $1::bigint`, [
      lastOld,
      RETENTION_DAYS + 15,
    ]);
    await sql(db, `UPDATE audit_log SET at = now() - make_interval(days => $1::int) WHERE id = (SELECT max(id) FROM audit_log)`, [
      RETENTION_DAYS - 1,
    ]);
    // An old row with a high id (a restored dump, a clock step): age decides, not the id.
    await tokenFor(server.baseUrl, SEEDED.opaque);
    await sql(db, `UPDATE audit_log SET at = now() - make_interval(days => $1::int) WHERE id = (SELECT max(id) FROM audit_log)`, [
      RETENTION_DAYS + 1,
    ]);
    await tokenFor(server.baseUrl, SEEDED.jwt); // and a fresh one

    const report = await janitor().sweep({ batchSize: 2 });

    expect(report.auditEvents).toBe(total);
    expect(report.batches).toBe(Math.floor(total / 2) + 1);
    expect(await countWhere(db, 'audit_log', `at < now() - make_interval(days => $1::int)`, [RETENTION_DAYS])).toBe(0);
    expect(await countWhere(db, 'audit_log')).toBe(2);
  });

  it('npm run clients -- janitor deletes through the CLI wiring and prints what it deleted', async () => {
    await insertTokens(db, 'cli-', 12, nowSeconds() - GRACE - 100);
    const cli = await cliContext(db);
    const lines: string[] = [];
    try {
      await runCommand(['janitor', '--batch-size', '5'], {
        clients: cli.get(ClientAdminService),
        resources: cli.get(ResourceRegistry),
        keys: cli.get(SigningKeyService),
        janitor: cli.get(JanitorService),
        out: (line) => lines.push(line),
      });
      await expect(
        runCommand(['janitor', '--batch-size', '0'], {
          clients: cli.get(ClientAdminService),
          resources: cli.get(ResourceRegistry),
          keys: cli.get(SigningKeyService),
          janitor: cli.get(JanitorService),
          out: () => undefined,
        }),
      ).rejects.toThrow('--batch-size must be a whole number');
    } finally {
      await cli.close();
    }
    expect(lines).toEqual(['deleted 12 expired tokens, 0 revocations, 0 assertion jtis, 0 audit rows in 3 batches']);
    expect(await countWhere(db, 'tokens', `jti LIKE 'cli-%'`)).toBe(0);
  });

  it('two instances sweeping at once delete every expired row exactly once, without an error or a live row lost', async () => {
    const now = nowSeconds();
    await insertTokens(db, 'pair-', 6000, now - GRACE - 100);
    await insertRevokedJwts(db, 'pair-revoked-', 500, now - GRACE - 100);
    const live = await countWhere(db, 'tokens', 'exp >= $1', [now - GRACE]);
    const other = await cliContext(db); // a second process' worth of pool and service

    try {
      const reports = await Promise.all([
        janitor().sweep({ now, batchSize: 200 }),
        other.get(JanitorService).sweep({ now, batchSize: 200 }),
      ]);
      // One may have yielded to the other mid-way; whoever held the lock last finished the job.
      const finisher = await janitor().sweep({ now, batchSize: 200 });
      expect(reports.filter((r) => !r.yielded).length).toBeGreaterThanOrEqual(1);
      const deleted = reports.reduce((sum, r) => sum + r.tokens, 0) + finisher.tokens;
      expect(deleted).toBe(6500);
      expect(reports.reduce((sum, r) => sum + r.revocations, 0) + finisher.revocations).toBe(500);
    } finally {
      await other.close();
    }
    expect(await countWhere(db, 'tokens', `jti LIKE 'pair-%'`)).toBe(0);
    expect(await countWhere(db, 'tokens', 'exp >= $1', [now - GRACE])).toBe(live);
  });
});

describe('janitor schedule', () => {
  let db: TestDatabase;
  let server: TestAuthServer | undefined;

  beforeAll(async () => {
    db = await createTestDatabase('auth_janitor_cron');
  });

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('sweeps on JANITOR_CRON while the server runs', async () => {
    server = await startAuthServer(db, { env: { JANITOR_CRON: '* * * * * *', JANITOR_GRACE_SECONDS: '0' } });
    await insertTokens(db, 'cron-', 20, nowSeconds() - 60);
    const deadline = Date.now() + 10_000;
    while ((await countWhere(db, 'tokens', `jti LIKE 'cron-%'`)) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await countWhere(db, 'tokens', `jti LIKE 'cron-%'`)).toBe(0);
  });

  it('JANITOR_CRON=off registers no job and deletes nothing by itself', async () => {
    server = await startAuthServer(db, { env: { JANITOR_CRON: 'off', JANITOR_GRACE_SECONDS: '0' } });
    expect(server.app.get(SchedulerRegistry).doesExist('cron', JANITOR_JOB)).toBe(false);
    await insertTokens(db, 'off-', 5, nowSeconds() - 60);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await countWhere(db, 'tokens', `jti LIKE 'off-%'`)).toBe(5);
  });
});

/** The jti of a JWT, read from its payload (introspection of a revoked JWT says only inactive). */
function jtiOf(jwt: string): string {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()).jti;
}

/** What `npm run clients` builds (src/cli.ts): CliModule on the same database, no HTTP. */
async function cliContext(db: TestDatabase): Promise<INestApplicationContext> {
  const env = { DATABASE_URL: db.url, NODE_ENV: 'test', ...JANITOR_ENV };
  const previous = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await NestFactory.createApplicationContext(CliModule, { logger: ['error', 'warn'] });
  } finally {
    for (const [k, v] of Object.entries(previous)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
