import { randomBytes, randomUUID } from 'node:crypto';
import { ensureSchema, pgPoolOf } from '@playground/database';
import { ErrorResponseFilter } from '@playground/http-kit';
import { DataSource } from 'typeorm';
import type { ClientConfirmation } from '../src/app/client-auth/client-changed.error';
import { AUTH_SERVER_ENTITIES } from '../src/app/persistence/entities';
import { AUTH_SERVER_MIGRATIONS } from '../src/app/persistence/migrations';
import { AUTH_SERVER_SCHEMA } from '../src/app/persistence/persistence';
import { TypeOrmTokenRepository } from '../src/app/tokens/token.repository';
import { TypeOrmClientRepository } from '../src/app/clients/client.repository';
import { ClientEntity } from '../src/app/persistence/entities';
import type { NewTokenRecord } from '../src/app/tokens/token.repository.port';
import { createTestDatabase, type TestDatabase } from './support/auth-server';
import { startTcpCut, type TcpCut } from './support/tcp-cut';

/**
 * The token repository on real PostgreSQL, under concurrency: concurrent inserts and lookups
 * are batched into one statement (group commit in the application), and every caller still
 * gets its own answer — its row written or not, its token and its caller check — or, when
 * PostgreSQL fails, an error.
 */
describe('TypeOrmTokenRepository (batched, on PostgreSQL)', () => {
  let db: TestDatabase;

  const connect = async (url: string) => {
    const dataSource = new DataSource({
      type: 'postgres',
      url,
      schema: AUTH_SERVER_SCHEMA,
      entities: AUTH_SERVER_ENTITIES,
      migrations: AUTH_SERVER_MIGRATIONS,
      migrationsRun: true,
      extra: { max: 4, options: `-c search_path=${AUTH_SERVER_SCHEMA}`, connectionTimeoutMillis: 2000 },
    });
    await ensureSchema(url, AUTH_SERVER_SCHEMA);
    return dataSource.initialize();
  };
  let dataSource: DataSource;
  let tokens: TypeOrmTokenRepository;
  /** Statements sent to Postgres through the pool from here on. */
  let statements: () => number;

  beforeAll(async () => {
    db = await createTestDatabase('token_repository');
    dataSource = await connect(db.url);
    tokens = new TypeOrmTokenRepository(dataSource);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });
  beforeEach(() => {
    const spy = jest.spyOn(pgPoolOf(dataSource), 'query');
    const before = spy.mock.calls.length;
    statements = () => spy.mock.calls.length - before;
  });
  afterEach(() => jest.restoreAllMocks());

  const addClient = async (clientId: string, { enabled = true, secretVersion = 1 } = {}) => {
    await dataSource.query(
      `INSERT INTO clients (client_id, secret_hash, secret_version, auth_methods, grant_types, token_format, scopes, token_lifetime_seconds, enabled)
       VALUES ($1, 'x', $2, '{client_secret_basic}', '{client_credentials}', 'opaque', '{country.read}', 300, $3)`,
      [clientId, secretVersion, enabled],
    );
  };
  const opaque = (clientId: string, scope = 'country.read'): NewTokenRecord => ({
    jti: randomUUID(),
    format: 'opaque',
    tokenHash: randomBytes(32),
    kid: null,
    audience: null,
    cnfJkt: null,
    clientId,
    scope,
    iat: 1_800_000_000,
    exp: 1_800_000_300,
  });
  const confirm = (clientId: string, secretVersion = 1): ClientConfirmation => ({ clientId, secretVersion });
  /** What the token endpoint would answer for this error. */
  const statusFor = (error: unknown) => new ErrorResponseFilter('test').toResponse(error).status;
  const stored = async (jtis: string[]) => {
    const [row] = await dataSource.query(
      `SELECT (SELECT count(*) FROM tokens WHERE jti = ANY($1))::int AS tokens,
              (SELECT count(*) FROM audit_log WHERE event = 'token_issued' AND detail->>'jti' = ANY($1))::int AS audits`,
      [jtis],
    );
    return row as { tokens: number; audits: number };
  };

  it('commits every token of a burst of 450 concurrent issues, in a few statements, each with its audit row', async () => {
    await addClient('burst');
    const records = Array.from({ length: 450 }, () => opaque('burst'));
    const results = await Promise.all(records.map((r) => tokens.insertIssued(r, confirm('burst'), { jti: r.jti })));
    expect(results).toEqual(records.map(() => true));
    expect(await stored(records.map((r) => r.jti))).toEqual({ tokens: 450, audits: 450 });
    // Batches of at most 200: 3 statements, not 450.
    expect(statements()).toBeLessThanOrEqual(4);
    const found = await tokens.findForCaller({ tokenHash: records[7].tokenHash as Buffer }, confirm('burst'));
    expect(found.token).toMatchObject({ jti: records[7].jti, clientId: 'burst', iat: 1_800_000_000, exp: 1_800_000_300 });
  });

  it('in one batch, writes only the rows whose client is still enabled at the confirmed secret version', async () => {
    await addClient('steady');
    await addClient('disabled-meanwhile');
    await addClient('rotated-meanwhile');
    // What a cached authentication saw: all three enabled at version 1. Then they changed.
    await dataSource.query(`UPDATE clients SET enabled = false WHERE client_id = 'disabled-meanwhile'`);
    await dataSource.query(`UPDATE clients SET secret_version = 2 WHERE client_id = 'rotated-meanwhile'`);

    const calls = ['steady', 'disabled-meanwhile', 'rotated-meanwhile'].flatMap((clientId) =>
      Array.from({ length: 10 }, () => ({ clientId, record: opaque(clientId) })),
    );
    const results = await Promise.all(
      calls.map(({ clientId, record }) => tokens.insertIssued(record, confirm(clientId), { jti: record.jti })),
    );

    expect(statements()).toBe(1);
    expect(results).toEqual(calls.map(({ clientId }) => clientId === 'steady'));
    const jtis = (clientId: string) => calls.filter((c) => c.clientId === clientId).map((c) => c.record.jti);
    expect(await stored(jtis('steady'))).toEqual({ tokens: 10, audits: 10 });
    expect(await stored([...jtis('disabled-meanwhile'), ...jtis('rotated-meanwhile')])).toEqual({ tokens: 0, audits: 0 });
    // The rotated client at its new version is written again.
    expect(await tokens.insertIssued(opaque('rotated-meanwhile'), confirm('rotated-meanwhile', 2), {})).toBe(true);
  });

  it('fails only the caller whose own value PostgreSQL cannot take; the others in its batch get their tokens', async () => {
    await addClient('mixed');
    const good = Array.from({ length: 5 }, () => opaque('mixed'));
    const bad = opaque('mixed', 'country.read\u0000'); // a NUL byte: SQLSTATE 22P05 in jsonb
    const results = await Promise.allSettled(
      [...good.slice(0, 2), bad, ...good.slice(2)].map((r) => tokens.insertIssued(r, confirm('mixed'), { jti: r.jti })),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(statusFor((results[2] as PromiseRejectedResult).reason)).toBe(400);
    expect(await stored(good.map((r) => r.jti))).toEqual({ tokens: 5, audits: 5 });
    expect(await stored([bad.jti])).toEqual({ tokens: 0, audits: 0 });
  });

  it('answers each of many concurrent lookups with its own token and its own caller check, in one statement per column', async () => {
    await addClient('reader');
    await addClient('reader-rotated');
    await addClient('owner-disabled');
    const mine = opaque('reader');
    const disabledOwners = opaque('owner-disabled');
    const jwt = { ...opaque('reader'), format: 'jwt' as const, tokenHash: null };
    for (const r of [mine, disabledOwners, jwt]) expect(await tokens.insertIssued(r, confirm(r.clientId), {})).toBe(true);
    await dataSource.query(`UPDATE clients SET secret_version = 2 WHERE client_id = 'reader-rotated'`);
    await dataSource.query(`UPDATE clients SET enabled = false WHERE client_id = 'owner-disabled'`);
    const before = statements();

    const [byHash, byJti, unknown, onlyCaller, rotatedCaller, unknownCaller, ofDisabled] = await Promise.all([
      tokens.findForCaller({ tokenHash: mine.tokenHash as Buffer }, confirm('reader')),
      tokens.findForCaller({ jti: jwt.jti }, confirm('reader')),
      tokens.findForCaller({ tokenHash: randomBytes(32) }, confirm('reader')),
      tokens.findForCaller(undefined, confirm('reader')),
      tokens.findForCaller({ tokenHash: mine.tokenHash as Buffer }, confirm('reader-rotated')),
      tokens.findForCaller({ jti: jwt.jti }, confirm('nobody')),
      tokens.findForCaller({ tokenHash: disabledOwners.tokenHash as Buffer }, confirm('reader')),
    ]);

    expect(statements() - before).toBe(2); // one by hash, one by jti
    expect(byHash).toEqual({ callerValid: true, token: expect.objectContaining({ jti: mine.jti, format: 'opaque', clientEnabled: true }) });
    expect(byJti).toEqual({ callerValid: true, token: expect.objectContaining({ jti: jwt.jti, format: 'jwt', revokedAt: null }) });
    expect(unknown).toEqual({ callerValid: true, token: undefined });
    expect(onlyCaller).toEqual({ callerValid: true, token: undefined });
    expect(rotatedCaller).toEqual({ callerValid: false });
    expect(unknownCaller).toEqual({ callerValid: false });
    expect(ofDisabled).toEqual({ callerValid: true, token: expect.objectContaining({ jti: disabledOwners.jti, clientEnabled: false }) });
  });

  describe('when PostgreSQL cannot be reached', () => {
    let proxy: TcpCut;
    let cutSource: DataSource;

    beforeAll(async () => {
      const target = new URL(db.url);
      proxy = await startTcpCut(target.hostname, Number(target.port));
      const viaProxy = new URL(db.url);
      viaProxy.hostname = '127.0.0.1';
      viaProxy.port = String(proxy.port);
      cutSource = await connect(viaProxy.toString());
      await addClient('cut');
    });
    afterAll(async () => {
      await cutSource?.destroy().catch(() => undefined);
      await proxy?.close();
    });

    it('fails every caller of the batch with an outage error, and none of them is told its token was stored', async () => {
      const cutTokens = new TypeOrmTokenRepository(cutSource);
      expect(await cutTokens.insertIssued(opaque('cut'), confirm('cut'), {})).toBe(true); // pool connected
      await proxy.cut();
      const records = Array.from({ length: 20 }, () => opaque('cut'));
      const results = await Promise.allSettled(records.map((r) => cutTokens.insertIssued(r, confirm('cut'), { jti: r.jti })));
      expect(results.map((r) => r.status)).toEqual(records.map(() => 'rejected'));
      for (const r of results) expect(statusFor((r as PromiseRejectedResult).reason)).toBe(503);
      const lookups = await Promise.allSettled([
        cutTokens.findForCaller({ jti: records[0].jti }, confirm('cut')),
        cutTokens.findForCaller(undefined, confirm('cut')),
      ]);
      expect(lookups.map((r) => r.status)).toEqual(['rejected', 'rejected']);

      await proxy.restore();
      expect(await stored(records.map((r) => r.jti))).toEqual({ tokens: 0, audits: 0 });
      // Back: the next batch commits.
      expect(await cutTokens.insertIssued(opaque('cut'), confirm('cut'), {})).toBe(true);
    });
  });
  it('client reads for authentication: concurrent ones share one statement, each caller gets its own client', async () => {
    await addClient('batch-read-a');
    await addClient('batch-read-b', { enabled: false });
    const repository = dataSource.getRepository(ClientEntity);
    const findBy = jest.spyOn(repository, 'findBy');
    const clients = new TypeOrmClientRepository(repository);
    const [a, b, unknown, again] = await Promise.all(
      ['batch-read-a', 'batch-read-b', 'batch-read-nobody', 'batch-read-a'].map((id) => clients.findWithSecretHash(id)),
    );
    expect(findBy).toHaveBeenCalledTimes(1);
    expect([a?.client.clientId, a?.client.enabled, a?.secretHash]).toEqual(['batch-read-a', true, 'x']);
    expect([b?.client.clientId, b?.client.enabled]).toEqual(['batch-read-b', false]);
    expect(unknown).toBeUndefined();
    expect(again?.client).toEqual(a?.client);
  });
});
