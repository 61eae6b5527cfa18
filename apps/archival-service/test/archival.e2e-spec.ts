import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestDatabase, type TestDatabase } from '@playground/database/testing';
import { ClientCredentialsTokenManager } from '@playground/token-client';
import { Client } from 'pg';
import { createArchivalApp } from '../src/app/bootstrap';
import { RunProcessor } from '../src/app/runs/run-processor.service';
import { RunsService } from '../src/app/runs/runs.service';
import { startFakeAuthServer, type FakeAuthServer, type RunJson } from '@playground/testing';
import { StubMsSystem } from './support/stubs';

const CLIENT = { clientId: 'archival-service', clientSecret: 'dev:secret%with+odd chars' };
const ATTEMPTS = 3;

describe('archival-service (in-process on real Postgres; stub auth-server and ms-system on loopback)', () => {
  let db: TestDatabase;
  let pg: Client;
  let auth: FakeAuthServer;
  let ms: StubMsSystem;
  const apps: NestFastifyApplication[] = [];
  let app: NestFastifyApplication;
  let base: string;

  async function boot(env: Record<string, string> = {}): Promise<{ app: NestFastifyApplication; base: string }> {
    Object.assign(process.env, {
      DATABASE_URL: db.url,
      AUTH_SERVER_URL: auth.issuer,
      MS_SYSTEM_URL: ms.url,
      ARCHIVAL_CLIENT_ID: CLIENT.clientId,
      ARCHIVAL_CLIENT_SECRET: CLIENT.clientSecret,
      ARCHIVAL_CRON: 'off',
      ARCHIVAL_RETRY_ATTEMPTS: String(ATTEMPTS),
      ARCHIVAL_RETRY_INITIAL_DELAY_MS: '20',
      ARCHIVAL_RETRY_MAX_DELAY_MS: '100',
      LOG_LEVEL: 'error',
      ...env,
    });
    const created = await createArchivalApp();
    await created.listen(0, '127.0.0.1');
    apps.push(created);
    const { port } = created.getHttpServer().address() as { port: number };
    return { app: created, base: `http://127.0.0.1:${port}/archival-service` };
  }

  async function close(instance: NestFastifyApplication): Promise<void> {
    apps.splice(apps.indexOf(instance), 1);
    await instance.close();
  }

  const get = async (path: string, root = base) => {
    const response = await fetch(`${root}${path}`);
    return { status: response.status, body: (await response.json()) as unknown };
  };

  const trigger = async (body?: unknown, root = base) => {
    const response = await fetch(`${root}/runs`, {
      method: 'POST',
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as RunJson };
  };

  async function waitForRun(id: string, root = base): Promise<RunJson> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const { body } = await get(`/runs/${id}`, root);
      const run = body as RunJson;
      if (run.status === 'succeeded' || run.status === 'failed') return run;
      if (Date.now() > deadline) throw new Error(`run ${id} still ${run.status}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  const archivedRows = async (runId: string) =>
    Number((await pg.query(`SELECT count(*) FROM archival.archived_countries WHERE run_id = $1`, [runId])).rows[0].count);

  beforeAll(async () => {
    db = await createTestDatabase('archival_e2e');
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    auth = await startFakeAuthServer({ clients: { [CLIENT.clientId]: CLIENT.clientSecret } });
    ms = new StubMsSystem(auth);
    await ms.start();
    ({ app, base } = await boot());
  });

  afterAll(async () => {
    for (const instance of [...apps]) await instance.close();
    await pg.end();
    await auth.stop();
    await ms.stop();
    await db.drop();
  });

  beforeEach(() => {
    ms.failWith = undefined;
    ms.delayMs = 0;
  });

  it('GET /health reports the database', async () => {
    expect(await get('/health')).toEqual({
      status: 200,
      body: { status: 'ok', info: { database: { status: 'up' } }, error: {}, details: { database: { status: 'up' } } },
    });
  });

  it('POST /runs answers 202 with the queued run, which then archives every country', async () => {
    const pagesBefore = ms.pageRequests.length;
    const { status, body } = await trigger();
    expect(status).toBe(202);
    expect(body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      slot: expect.stringMatching(/^manual:[0-9a-f-]{36}$/),
      status: expect.stringMatching(/^(queued|running)$/),
      startedAt: null,
      finishedAt: null,
      countriesArchived: 0,
      error: null,
    });
    const run = await waitForRun(body.id);
    expect(run).toEqual({
      ...body,
      status: 'succeeded',
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
      countriesArchived: 249,
      error: null,
    });
    expect(Object.keys(run)).toEqual(['id', 'slot', 'status', 'startedAt', 'finishedAt', 'countriesArchived', 'error']);
    expect(await archivedRows(run.id)).toBe(249);
    // Every page, 100 at a time.
    expect(ms.pageRequests.slice(pagesBefore).map((r) => [r.page, r.size])).toEqual([
      [1, 100],
      [2, 100],
      [3, 100],
    ]);
    const stored = await pg.query(`SELECT code, name FROM archival.archived_countries WHERE run_id = $1 ORDER BY code`, [run.id]);
    expect(stored.rows).toEqual(ms.countries);
  });

  it('one token serves many runs', async () => {
    const tokensBefore = auth.tokenRequests.length;
    for (let i = 0; i < 3; i++) expect((await waitForRun((await trigger()).body.id)).status).toBe('succeeded');
    expect(auth.tokenRequests.length).toBe(tokensBefore);
    expect(auth.tokenRequests.length).toBe(1);
  });

  it('GET /runs lists runs latest first; GET /runs/:id answers 404 for unknown and 400 for non-UUID ids', async () => {
    const first = await waitForRun((await trigger()).body.id);
    const second = await waitForRun((await trigger()).body.id);
    const { status, body } = await get('/runs');
    expect(status).toBe(200);
    const runs = body as RunJson[];
    expect(runs.slice(0, 2)).toEqual([second, first]);
    expect(await get(`/runs/${first.id}`)).toEqual({ status: 200, body: first });
    expect(await get('/runs/6f1c1a9e-4a8e-4c55-9d36-2a1f0b6f7c11')).toEqual({
      status: 404,
      body: { error: 'not_found', error_description: 'run not found' },
    });
    expect(await get('/runs/not-a-uuid')).toEqual({
      status: 400,
      body: { error: 'invalid_request', error_description: 'Validation failed (uuid is expected)' },
    });
    expect((await get('/runs?limit=1')).body).toEqual([second]);
    expect((await get('/runs?limit=0')).status).toBe(400);
  });

  it('POST /runs refuses a malformed slot or body with a JSON 4xx', async () => {
    for (const slot of ['cron:yesterday', 'manual:1', "cron:2026-11-23T10:51:00Z'; DROP TABLE archive_runs; --"]) {
      const response = await fetch(`${base}/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ slot }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: 'invalid_request', error_description: expect.stringContaining('slot must be') });
    }
    const broken = await fetch(`${base}/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"slot":' });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: 'invalid_request' });
    const text = await fetch(`${base}/runs`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'run' });
    expect(text.status).toBe(400);
    expect(await text.json()).toEqual({
      error: 'invalid_request',
      error_description: 'the body must be empty or a JSON object with a string slot, such as cron:2026-11-23T10:51:00Z',
    });
    const huge = await fetch(`${base}/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ slot: 'x'.repeat(200_000) }),
    });
    expect(huge.status).toBe(413);
  });

  it('serves Swagger UI at /archival-service/docs', async () => {
    const ui = await fetch(`${base}/docs`);
    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-type')).toMatch(/text\/html/);
    const spec = (await (await fetch(`${base}/docs-json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths).sort()).toEqual(['/archival-service/health', '/archival-service/runs', '/archival-service/runs/{id}']);
  });

  describe('idempotency per slot (UNIQUE slot in Postgres)', () => {
    it('the same slot triggered twice stores nothing twice', async () => {
      const slot = 'cron:2026-11-23T10:51:00Z';
      const first = await trigger({ slot });
      expect(first.status).toBe(202);
      expect(first.body.slot).toBe(slot);
      const done = await waitForRun(first.body.id);
      expect(done.countriesArchived).toBe(249);

      const again = await trigger({ slot });
      expect(again).toEqual({ status: 200, body: done });
      // A retried delivery reaching the processor directly: the run is already done.
      await expect(app.get(RunProcessor).process(done.id)).resolves.toBeUndefined();

      const runs = await pg.query(`SELECT id FROM archival.archive_runs WHERE slot = $1`, [slot]);
      expect(runs.rows).toEqual([{ id: done.id }]);
      expect(await archivedRows(done.id)).toBe(249);
      expect(await waitForRun(done.id)).toEqual(done);
    });

    it('two cron ticks for the same instant create one run', async () => {
      const firedAt = new Date(Date.UTC(2026, 10, 23, 11, 0, 0, 3));
      const runs = app.get(RunsService);
      await Promise.all([runs.triggerScheduled(firedAt), runs.triggerScheduled(new Date(firedAt.getTime() - 6))]);
      await runs.idle();
      const rows = await pg.query(
        `SELECT id, status, countries_archived FROM archival.archive_runs WHERE slot = 'cron:2026-11-23T11:00:00Z'`,
      );
      expect(rows.rows).toEqual([{ id: expect.any(String), status: 'succeeded', countries_archived: 249 }]);
    });
  });

  describe('failures (network errors and 5xx retried with backoff and jitter)', () => {
    it('a transient 5xx is retried and the run succeeds', async () => {
      ms.failWith = { status: 503, remaining: ATTEMPTS - 1 };
      const run = await waitForRun((await trigger()).body.id);
      expect(run).toMatchObject({ status: 'succeeded', countriesArchived: 249, error: null });
    });

    it('ms-system answering 5xx: retried, then the run fails with the reason; a retry of the slot and the next run succeed', async () => {
      ms.failWith = { status: 503, remaining: Infinity };
      const pagesBefore = ms.pageRequests.length;
      const slot = 'cron:2026-11-23T12:00:00Z';
      const failed = await waitForRun((await trigger({ slot })).body.id);
      expect(failed).toMatchObject({
        status: 'failed',
        countriesArchived: 0,
        error: `ms-system unavailable after ${ATTEMPTS} attempts: ms-system answered HTTP 503 to GET /country?page=1&size=100`,
        finishedAt: expect.any(String),
      });
      expect(ms.pageRequests.length - pagesBefore).toBe(ATTEMPTS);
      expect(await archivedRows(failed.id)).toBe(0);

      ms.failWith = undefined;
      const next = await waitForRun((await trigger()).body.id);
      expect(next).toMatchObject({ status: 'succeeded', countriesArchived: 249 });

      // The failed slot, retried: same run, re-queued, archived once.
      const retried = await trigger({ slot });
      expect(retried.status).toBe(202);
      expect(retried.body).toMatchObject({ id: failed.id, status: 'queued', error: null });
      expect(await waitForRun(failed.id)).toMatchObject({ status: 'succeeded', countriesArchived: 249, error: null });
      expect(await archivedRows(failed.id)).toBe(249);
    });

    it('a failure on a later page stores nothing of the earlier pages', async () => {
      ms.failWith = { status: 500, remaining: Infinity, fromPage: 2 };
      const run = await waitForRun((await trigger()).body.id);
      expect(run).toMatchObject({
        status: 'failed',
        countriesArchived: 0,
        error: `ms-system unavailable after ${ATTEMPTS} attempts: ms-system answered HTTP 500 to GET /country?page=2&size=100`,
      });
      expect(await archivedRows(run.id)).toBe(0);
    });

    it('a 4xx from ms-system is final: not retried, the run fails with it', async () => {
      ms.failWith = { status: 403, remaining: Infinity };
      const pagesBefore = ms.pageRequests.length;
      const run = await waitForRun((await trigger()).body.id);
      expect(run).toMatchObject({
        status: 'failed',
        error: 'ms-system answered HTTP 403 to GET /country?page=1&size=100 (insufficient_scope)',
      });
      expect(ms.pageRequests.length - pagesBefore).toBe(1);
    });

    it('auth-server down: the token request is retried, the run fails with its reason, and the next run succeeds once it is back', async () => {
      await auth.stop();
      app.get(ClientCredentialsTokenManager).invalidate();
      const failed = await waitForRun((await trigger()).body.id);
      expect(failed.status).toBe('failed');
      expect(failed.error).toMatch(
        new RegExp(`^could not get an access token: token request failed after ${ATTEMPTS} attempts: network error \\(ECONNREFUSED`),
      );
      await auth.start();
      const next = await waitForRun((await trigger()).body.id);
      expect(next).toMatchObject({ status: 'succeeded', countriesArchived: 249, error: null });
    });

    it('a revoked token: ms-system answers 401, the manager gets a new token once and the run succeeds', async () => {
      await waitForRun((await trigger()).body.id);
      const tokensBefore = auth.tokenRequests.length;
      const unauthorizedBefore = ms.unauthorized;
      auth.revokeAll();
      const run = await waitForRun((await trigger()).body.id);
      expect(run).toMatchObject({ status: 'succeeded', countriesArchived: 249 });
      expect(auth.tokenRequests.length).toBe(tokensBefore + 1);
      expect(ms.unauthorized).toBe(unauthorizedBefore + 1);
    });
  });

  describe('no overlapping runs (Postgres advisory lock), across instances', () => {
    it('a run left running by a dead instance is marked failed when an instance boots and nothing is running', async () => {
      const { rows } = await pg.query(
        `INSERT INTO archival.archive_runs (slot, status, started_at) VALUES ('manual:left-running-by-a-dead-instance', 'running', now()) RETURNING id`,
      );
      const second = await boot();
      const { body } = await get(`/runs/${rows[0].id}`, second.base);
      expect(body).toMatchObject({ status: 'failed', error: expect.stringMatching(/^interrupted/) });
      await close(second.app);
    });

    it('...but not while another instance holds the run lock (that run is alive)', async () => {
      const { rows } = await pg.query(
        `INSERT INTO archival.archive_runs (slot, status, started_at) VALUES ('manual:running-elsewhere', 'running', now()) RETURNING id`,
      );
      const holder = new Client({ connectionString: db.url });
      await holder.connect();
      await holder.query(`SELECT pg_advisory_lock(hashtext('archival-service:archive-run'))`);
      const second = await boot();
      expect((await get(`/runs/${rows[0].id}`, second.base)).body).toMatchObject({ status: 'running' });
      await holder.query(`UPDATE archival.archive_runs SET status = 'failed', finished_at = now() WHERE id = $1`, [rows[0].id]);
      await holder.end();
      await close(second.app);
    });

    it('simultaneous triggers on two instances run one after the other, none fails', async () => {
      const second = await boot();
      ms.delayMs = 60;
      const triggered = await Promise.all([trigger(), trigger(undefined, second.base), trigger(), trigger(undefined, second.base)]);
      expect(triggered.map((t) => t.status)).toEqual([202, 202, 202, 202]);
      const runs = await Promise.all(triggered.map((t) => waitForRun(t.body.id)));
      expect(runs.map((r) => [r.status, r.countriesArchived])).toEqual(Array(4).fill(['succeeded', 249]));
      const intervals = runs
        .map((r) => [Date.parse(r.startedAt as string), Date.parse(r.finishedAt as string)])
        .sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < intervals.length; i++) expect(intervals[i][0]).toBeGreaterThanOrEqual(intervals[i - 1][1]);
      await close(second.app);
    });

    it('the cron from ARCHIVAL_CRON fires on two instances: one run per slot, each archived once', async () => {
      const started = new Date();
      const a = await boot({ ARCHIVAL_CRON: '* * * * * *' });
      const b = await boot({ ARCHIVAL_CRON: '* * * * * *' });
      await new Promise((r) => setTimeout(r, 3_200));
      await Promise.all([close(a.app), close(b.app)]);
      const rows = await pg.query<{ slot: string; status: string; countries_archived: number; rows: string }>(
        `SELECT r.slot, r.status, r.countries_archived, (SELECT count(*) FROM archival.archived_countries c WHERE c.run_id = r.id) AS rows
           FROM archival.archive_runs r WHERE r.slot LIKE 'cron:%' AND r.created_at >= $1 ORDER BY r.slot`,
        [started],
      );
      expect(rows.rows.length).toBeGreaterThanOrEqual(2);
      for (const row of rows.rows) {
        expect(row.slot).toMatch(/^cron:\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
        if (row.status === 'succeeded') expect([row.countries_archived, Number(row.rows)]).toEqual([249, 249]);
      }
      expect(rows.rows.filter((r) => r.status === 'succeeded').length).toBeGreaterThanOrEqual(2);
    });
  });
});
