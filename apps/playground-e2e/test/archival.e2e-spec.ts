// archival-service with the real auth-server and ms-system, each a built app in its own process,
// on a real PostgreSQL: the scheduled client-credentials client end to end.
import { Client } from 'pg';
import type { RunJson } from '@playground/testing';
import { startRecordingProxy, type ProxiedRequest } from './archival-recording-proxy';
import { createPlayground, type Playground } from './support/playground';

const SECRET = 'archival-service-secret';
const ATTEMPTS = 3;
const TOKEN_LINE = /requested a new access token for archival-service/g;

describe('archival-service ↔ auth-server ↔ ms-system (built apps, real Postgres)', () => {
  let playground: Playground;
  let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
  let pg: Client;
  /** Output of every archival-service process of this suite (it is restarted once). */
  const archivalOutputs: (() => string)[] = [];

  const archivalUrl = () => playground.url('archival-service');
  const archivalOutput = () => archivalOutputs.map((read) => read()).join('\n');

  async function startArchival(env: Record<string, string> = {}): Promise<() => string> {
    const app = await playground.start('archival-service', {
      // Everything to ms-system goes through the recording proxy; the schedule is off so that
      // only the runs this suite triggers happen.
      MS_SYSTEM_URL: `${proxy.url}/ms-system`,
      ARCHIVAL_CRON: 'off',
      ARCHIVAL_RETRY_ATTEMPTS: String(ATTEMPTS),
      ARCHIVAL_RETRY_INITIAL_DELAY_MS: '100',
      ARCHIVAL_RETRY_MAX_DELAY_MS: '500',
      ...env,
    });
    const output = () => app.output();
    archivalOutputs.push(output);
    return output;
  }

  async function trigger(body?: unknown): Promise<{ status: number; run: RunJson }> {
    const response = await fetch(`${archivalUrl()}/runs`, {
      method: 'POST',
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    return { status: response.status, run: (await response.json()) as RunJson };
  }

  async function waitForRun(id: string): Promise<RunJson> {
    const deadline = Date.now() + 45_000;
    for (;;) {
      const run = (await (await fetch(`${archivalUrl()}/runs/${id}`)).json()) as RunJson;
      if (run.status === 'succeeded' || run.status === 'failed') return run;
      if (Date.now() > deadline) throw new Error(`run ${id} is still ${run.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const runNow = async (body?: unknown) => waitForRun((await trigger(body)).run.id);

  const archivedRows = async (runId: string) =>
    Number((await pg.query(`SELECT count(*) FROM archival.archived_countries WHERE run_id = $1`, [runId])).rows[0].count);

  beforeAll(async () => {
    playground = await createPlayground();
    proxy = await startRecordingProxy(() => playground.url('ms-system'));
    await playground.start('auth-server');
    // Revocations reach ms-system within a second here (10 s by default).
    await playground.start('ms-system', { REVOCATION_POLL_INTERVAL_SECONDS: '1' });
    await startArchival();
    pg = new Client({ connectionString: playground.db.url });
    await pg.connect();
  }, 120_000);

  afterAll(async () => {
    await pg?.end();
    await proxy?.close();
    await playground?.close();
  });

  it('a triggered run archives all 249 countries; one token serves many runs', async () => {
    const { status, run } = await trigger();
    expect(status).toBe(202);
    expect(run).toMatchObject({ slot: expect.stringMatching(/^manual:/), status: expect.stringMatching(/^(queued|running)$/) });
    const done = await waitForRun(run.id);
    expect(done).toEqual({
      id: run.id,
      slot: run.slot,
      status: 'succeeded',
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
      countriesArchived: 249,
      error: null,
    });
    expect(await archivedRows(run.id)).toBe(249);
    const australia = await pg.query(`SELECT code, name FROM archival.archived_countries WHERE run_id = $1 AND code = 'AUS'`, [run.id]);
    expect(australia.rows).toEqual([{ code: 'AUS', name: 'AUSTRALIA' }]);

    expect((await runNow()).status).toBe('succeeded');
    expect((await runNow()).status).toBe('succeeded');
    expect(archivalOutput().match(TOKEN_LINE)).toHaveLength(1);
    expect(archivalOutput()).toMatch(/requested a new access token for archival-service \(scope country\.read\), expires in 14[34]\d\d s/);

    const list = (await (await fetch(`${archivalUrl()}/runs`)).json()) as RunJson[];
    expect(list[2]).toEqual(done); // latest first
  });

  it('a second run for the same schedule slot adds nothing', async () => {
    const slot = 'cron:2026-11-23T10:51:00Z';
    const first = await trigger({ slot });
    expect(first.status).toBe(202);
    const done = await waitForRun(first.run.id);
    expect(done).toMatchObject({ slot, status: 'succeeded', countriesArchived: 249 });

    const second = await trigger({ slot });
    expect(second).toEqual({ status: 200, run: done });
    const runs = await pg.query(`SELECT id FROM archival.archive_runs WHERE slot = $1`, [slot]);
    expect(runs.rows).toEqual([{ id: done.id }]);
    expect(await archivedRows(done.id)).toBe(249);
  });

  it('auth-server stopped: the token request is retried, the run fails with its reason; the next run succeeds once it is back', async () => {
    await playground.stop('auth-server');
    // A fresh archival-service holds no token yet, so this run must reach the auth-server.
    await startArchival();
    const failed = await runNow();
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(
      new RegExp(`^could not get an access token: token request failed after ${ATTEMPTS} attempts: network error \\(ECONNREFUSED`),
    );
    expect(archivalOutput()).toMatch(/attempt 1 of 3 failed .*; retrying/);

    await playground.start('auth-server');
    const next = await runNow();
    expect(next).toMatchObject({ status: 'succeeded', countriesArchived: 249, error: null });
  });

  it('the archival token revoked: ms-system answers 401, the manager gets a new token and the run succeeds', async () => {
    const before = proxy.requests.length;
    expect((await runNow()).status).toBe('succeeded');
    const token = proxy.requests[proxy.requests.length - 1].token as string;
    expect(token).toBeTruthy();
    expect(proxy.requests.slice(before).every((r: ProxiedRequest) => r.token === token)).toBe(true);

    // RFC 7009, as the client the token was issued to.
    const revoked = await fetch(`${playground.url('auth-server')}/oauth2/revoke`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`archival-service:${SECRET}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token }).toString(),
    });
    expect(revoked.status).toBe(200);
    // Wait until ms-system has learnt of the revocation (its documented window).
    const deadline = Date.now() + 15_000;
    for (;;) {
      const probe = await fetch(`${playground.url('ms-system')}/country/code/AUS`, { headers: { authorization: `Bearer ${token}` } });
      if (probe.status === 401) break;
      if (Date.now() > deadline) throw new Error('ms-system still accepts the revoked token');
      await new Promise((r) => setTimeout(r, 250));
    }

    const tokenLines = archivalOutput().match(TOKEN_LINE)?.length ?? 0;
    const from = proxy.requests.length;
    const run = await runNow();
    expect(run).toMatchObject({ status: 'succeeded', countriesArchived: 249, error: null });
    const seen = proxy.requests.slice(from);
    expect(seen[0]).toMatchObject({ token, status: 401 });
    expect(seen[1].token).not.toBe(token);
    expect(seen.slice(1).every((r) => r.status === 200 && r.token === seen[1].token)).toBe(true);
    expect(archivalOutput().match(TOKEN_LINE)).toHaveLength(tokenLines + 1);
  });

  it('on a schedule (ARCHIVAL_CRON), each scheduled run archives 249 countries, and one token serves them all', async () => {
    const since = new Date();
    const output = await startArchival({ ARCHIVAL_CRON: '*/2 * * * * *' });
    const deadline = Date.now() + 30_000;
    let runs: RunJson[] = [];
    for (;;) {
      const all = (await (await fetch(`${archivalUrl()}/runs`)).json()) as RunJson[];
      runs = all.filter(
        (r) => r.slot.startsWith('cron:') && r.status === 'succeeded' && Date.parse(r.slot.slice(5)) >= since.getTime() - 1000,
      );
      if (runs.length >= 3) break;
      if (Date.now() > deadline) throw new Error(`only ${runs.length} scheduled runs succeeded`);
      await new Promise((r) => setTimeout(r, 250));
    }
    for (const run of runs) {
      expect(run.slot).toMatch(/^cron:\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:[0-5][02468]Z$/);
      expect(run.countriesArchived).toBe(249);
    }
    expect(output().match(TOKEN_LINE)).toHaveLength(1);
  });

  it('never logs the secret or a token', () => {
    const output = archivalOutput();
    expect(output).not.toContain(SECRET);
    for (const token of new Set(proxy.requests.map((r) => r.token).filter(Boolean))) expect(output).not.toContain(token);
  });
});
