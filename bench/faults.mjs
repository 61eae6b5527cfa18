#!/usr/bin/env node
// `npm run test:faults`: the playground under injected faults, on loopback only, bounded in time.
//
// Builds the apps (production), starts one real PostgreSQL server it can stop and start by hand
// (bench/faults/pg-server.mjs), then, each case with its own processes:
//   1. PostgreSQL stopped and started under token load: 0 answers of 500, every 503 with
//      Retry-After, recovery time after PostgreSQL is back (contract: ≤ 2 s);
//   2. auth-server killed (SIGKILL) under token load and restarted: every token answered 200
//      before the kill still introspects active;
//   3. archival-service killed while a run waits on a stalled ms-system: the run does not stay
//      `running`, the next run succeeds, nothing is archived twice;
//   4. two auth-servers and two ms-systems on one database: revocation, rotate-secret, disable and
//      rotate-signing-key through one instance or the CLI hold on the other, with no rejected
//      token across the key rotation;
//   5. the wrong-secret flood: the good client's token rate alone and under the flood, the ratio
//      (target ≥ 0.8), then auth-server's RSS after 200-connection saturation (target < 150 MB).
// Prints the figures, and exits 1 if any check failed.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPgServer } from './faults/pg-server.mjs';
import { drive, sleep, waitFor } from './faults/drive.mjs';
import { startTcpProxy } from './faults/net.mjs';
import { measureFlood } from './lib/flood.mjs';
import { buildApps, freePort, startProcess } from './lib/processes.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const LIMIT_MS = Number(process.env.FAULTS_TIME_LIMIT_MS ?? 300_000);
const log = (line) => process.stderr.write(`${line}\n`);
const figures = [];
const failures = [];
const figure = (name, value) => (figures.push([name, value]), log(`    ${name}: ${value}`));
function check(name, ok, detail = '') {
  log(`  ${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` (${detail})` : ''}`);
  if (!ok) failures.push(`${name}${detail ? ` (${detail})` : ''}`);
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const basic = (id, secret) => 'Basic ' + Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64');
const SEEDED = {
  opaque: { id: 'user-client-opaque', secret: 'user-client-secret' },
  jwt: { id: 'service-client-jwt', secret: 'service-client-jwt-secret' },
};
const tokenRequest = (base, client) => ({
  url: `${base}/oauth2/token`,
  init: {
    method: 'POST',
    headers: { ...FORM, authorization: basic(client.id, client.secret) },
    body: 'grant_type=client_credentials&scope=country.read',
  },
});
async function token(base, client) {
  const { url, init } = tokenRequest(base, client);
  const response = await fetch(url, init);
  return { status: response.status, body: await response.json().catch(() => undefined) };
}
async function introspect(base, accessToken) {
  const response = await fetch(`${base}/oauth2/introspect`, {
    method: 'POST',
    headers: { ...FORM, authorization: basic(SEEDED.jwt.id, SEEDED.jwt.secret) },
    body: `token=${encodeURIComponent(accessToken)}`,
  });
  return response.status === 200 ? (await response.json()).active === true : undefined;
}
const country = async (msBase, accessToken) =>
  (await fetch(`${msBase}/country/code/AUS`, { headers: { authorization: `Bearer ${accessToken}` } })).status;

async function main() {
  const started = Date.now();
  const deadline = setTimeout(() => {
    log(`fault suite exceeded ${LIMIT_MS / 1000} s: stopping`);
    process.exit(1);
  }, LIMIT_MS);
  deadline.unref();

  log('building the apps (production)…');
  buildApps(root);

  const pg = await createPgServer({ port: await freePort(), log });
  await pg.start();
  const processes = [];
  const common = { NODE_ENV: 'development', HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  const database = await pg.createDatabase('faults');
  common.DATABASE_URL = database;

  /** Starts a built app; `port` fixed so a restart comes back at the same address. */
  async function start(name, app, env) {
    const port = Number(env.PORT);
    const base = { 'auth-server': 'ms-auth-server', 'ms-system': 'ms-system', 'archival-service': 'archival-service' }[app];
    const p = await startProcess(name, [join(root, `dist/apps/${app}/main.js`)], {
      env: { ...common, ...env },
      readyUrl: `http://127.0.0.1:${port}/${base}/health`,
    });
    processes.push(p);
    return Object.assign(p, { base: `http://127.0.0.1:${port}/${base}` });
  }
  const kill = async (p) => {
    process.kill(p.pid, 'SIGKILL');
    await waitFor(
      () => {
        try {
          process.kill(p.pid, 0);
          return false;
        } catch {
          return true;
        }
      },
      { everyMs: 20 },
    );
  };
  const cli = (authEnv, ...args) =>
    execFileSync(process.execPath, [join(root, 'dist/apps/auth-server/cli.js'), ...args], {
      cwd: root,
      env: { ...process.env, ...common, ...authEnv },
      encoding: 'utf8',
    });

  try {
    // ---------------------------------------------------------------------------------------
    log('\n1. PostgreSQL stopped (fast shutdown) and started under 20-connection token load');
    {
      const port = await freePort();
      const auth = await start('auth-server', 'auth-server', { PORT: String(port), ISSUER: `http://127.0.0.1:${port}/ms-auth-server` });
      const answers = [];
      const load = drive({
        connections: 20,
        request: (w) => tokenRequest(auth.base, w % 2 ? SEEDED.jwt : SEEDED.opaque),
        onResponse: (r) => answers.push(r),
      });
      await sleep(1500);
      const stoppedAt = Date.now();
      await pg.stop();
      await sleep(2000);
      const readyAt = await pg.start();
      await sleep(4000);
      await load.stop();
      const count = (predicate) => answers.filter(predicate).length;
      const n500 = count((r) => r.status >= 500 && r.status !== 503);
      const n503 = count((r) => r.status === 503);
      const without = count((r) => r.status === 503 && !(Number(r.headers.get('retry-after')) >= 1));
      const not503Body = count((r) => r.status === 503 && !/"error":"temporarily_unavailable"/.test(r.text));
      const firstOk = answers.filter((r) => r.status === 200 && r.at >= readyAt).reduce((min, r) => Math.min(min, r.at), Infinity);
      const recoveryMs = firstOk - readyAt;
      const byStatus = {};
      for (const r of answers) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
      figure('answers by status', JSON.stringify(byStatus));
      figure('Postgres down for (ms)', readyAt - stoppedAt);
      figure('answers of 500 during the restart', n500);
      figure('recovery after Postgres was back (ms)', Number.isFinite(recoveryMs) ? recoveryMs : 'never');
      check('no 5xx other than 503', n500 === 0, `${n500}`);
      check('some requests met the outage (503)', n503 > 0, `${n503}`);
      check(
        'every 503 carries Retry-After and temporarily_unavailable',
        without === 0 && not503Body === 0,
        `${without} without Retry-After, ${not503Body} other bodies`,
      );
      check('no connection error (the server stayed up)', count((r) => r.status === 0) === 0);
      check('200 again within 2 s of Postgres', recoveryMs <= 2000, `${recoveryMs} ms`);
      await auth.stop();
    }

    // ---------------------------------------------------------------------------------------
    log('\n2. auth-server killed (SIGKILL) under token load, then restarted');
    {
      const port = await freePort();
      const env = { PORT: String(port), ISSUER: `http://127.0.0.1:${port}/ms-auth-server` };
      let auth = await start('auth-server', 'auth-server', env);
      const issued = [];
      const answers = [];
      const load = drive({
        connections: 20,
        request: (w) => tokenRequest(auth.base, w % 2 ? SEEDED.jwt : SEEDED.opaque),
        onResponse: (r) => {
          answers.push(r.status);
          if (r.status === 200) issued.push(JSON.parse(r.text).access_token);
        },
      });
      await sleep(2000);
      await kill(auth);
      const killedAt = Date.now();
      const beforeKill = issued.length;
      auth = await start('auth-server', 'auth-server', env);
      figure('restart took (ms)', Date.now() - killedAt);
      await sleep(1000);
      await load.stop();
      let active = 0;
      let checked = 0;
      const queue = [...issued];
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          while (queue.length) {
            const t = queue.pop();
            checked++;
            if (await introspect(auth.base, t)) active++;
          }
        }),
      );
      figure('tokens answered 200 (before the kill)', `${issued.length} (${beforeKill})`);
      figure('of those, active after the restart', active);
      check(
        'every token answered 200 still introspects active (nothing lost)',
        active === checked && checked === issued.length,
        `${issued.length - active} lost`,
      );
      check('no 500 around the kill', !answers.some((s) => s >= 500 && s !== 503));
      await auth.stop();
    }

    // ---------------------------------------------------------------------------------------
    log('\n3. archival-service killed while a run waits on a stalled ms-system');
    {
      const authPort = await freePort();
      const issuer = `http://127.0.0.1:${authPort}/ms-auth-server`;
      const auth = await start('auth-server', 'auth-server', { PORT: String(authPort), ISSUER: issuer });
      const msPort = await freePort();
      const ms = await start('ms-system', 'ms-system', { PORT: String(msPort), AUTH_SERVER_URL: issuer });
      const stall = await startTcpProxy([msPort]);
      const archivalPort = await freePort();
      const archivalEnv = {
        PORT: String(archivalPort),
        AUTH_SERVER_URL: issuer,
        MS_SYSTEM_URL: `http://127.0.0.1:${stall.port}/ms-system`,
        ARCHIVAL_CRON: 'off',
        ARCHIVAL_HTTP_TIMEOUT_MS: '60000',
      };
      let archival = await start('archival-service', 'archival-service', archivalEnv);
      stall.stall();
      const first = await (await fetch(`${archival.base}/runs`, { method: 'POST' })).json();
      const runningAfter = await waitFor(
        async () => (await (await fetch(`${archival.base}/runs/${first.id}`)).json()).status === 'running',
        { timeoutMs: 10_000 },
      );
      check('the first run is waiting on the stalled ms-system', runningAfter !== undefined);
      await sleep(500);
      await kill(archival);
      stall.pass();
      archival = await start('archival-service', 'archival-service', archivalEnv);
      const afterRestart = await (await fetch(`${archival.base}/runs/${first.id}`)).json();
      figure('killed run, right after the restart', afterRestart.status);
      const second = await (await fetch(`${archival.base}/runs`, { method: 'POST' })).json();
      let secondRun;
      await waitFor(
        async () => {
          secondRun = await (await fetch(`${archival.base}/runs/${second.id}`)).json();
          return secondRun.status === 'succeeded' || secondRun.status === 'failed';
        },
        { timeoutMs: 30_000 },
      );
      const firstRun = await (await fetch(`${archival.base}/runs/${first.id}`)).json();
      const archived = await pg.query(
        'faults',
        `SELECT run_id::text AS run, count(*)::int AS n, count(DISTINCT code)::int AS codes FROM archival.archived_countries GROUP BY run_id`,
      );
      figure('killed run', `${firstRun.status}${firstRun.error ? ` (${firstRun.error})` : ''}`);
      figure('next run', `${secondRun?.status}, ${secondRun?.countriesArchived} countries`);
      figure('rows archived per run', JSON.stringify(archived));
      check(
        'the killed run does not stay running (failed at the restart, before any new run)',
        afterRestart.status === 'failed' && firstRun.status === 'failed',
        `${afterRestart.status}, then ${firstRun.status}`,
      );
      check('the next run succeeds', secondRun?.status === 'succeeded', secondRun?.error ?? secondRun?.status);
      check(
        'nothing archived twice (only the next run has rows, each country once)',
        archived.length === 1 &&
          archived[0].run === second.id &&
          archived[0].n === archived[0].codes &&
          archived[0].n === secondRun?.countriesArchived,
      );
      await archival.stop();
      await stall.close();
      await ms.stop();
      await auth.stop();
    }

    // ---------------------------------------------------------------------------------------
    log('\n4. two auth-servers and two ms-systems on one database');
    {
      const [portA, portB, lbPort] = [await freePort(), await freePort(), await freePort()];
      // One issuer for both instances, as behind a load balancer: a loopback round-robin proxy.
      const issuer = `http://127.0.0.1:${lbPort}/ms-auth-server`;
      const lb = await startTcpProxy([portA, portB], { port: lbPort });
      const authEnv = { ISSUER: issuer, SIGNING_KEY_PREPUBLISH_SECONDS: '4', SIGNING_KEY_REFRESH_SECONDS: '1' };
      const a = await start('auth-server A', 'auth-server', { ...authEnv, PORT: String(portA) });
      const b = await start('auth-server B', 'auth-server', { ...authEnv, PORT: String(portB) });
      // The JWKS max age (2 s) is below the pre-publish wait (4 s), as 600 s is below 660 s by default.
      const msEnv = { AUTH_SERVER_URL: issuer, REVOCATION_POLL_INTERVAL_SECONDS: '1', JWKS_MAX_AGE_SECONDS: '2' };
      const [m1Port, m2Port] = [await freePort(), await freePort()];
      const m1 = await start('ms-system 1', 'ms-system', { ...msEnv, PORT: String(m1Port) });
      const m2 = await start('ms-system 2', 'ms-system', { ...msEnv, PORT: String(m2Port) });

      // Revocation through A holds on B and on both resource servers.
      for (const client of [SEEDED.opaque, SEEDED.jwt]) {
        const t = (await token(b.base, client)).body.access_token;
        const okBefore = (await country(m1.base, t)) === 200 && (await country(m2.base, t)) === 200;
        await fetch(`${a.base}/oauth2/revoke`, {
          method: 'POST',
          headers: { ...FORM, authorization: basic(client.id, client.secret) },
          body: `token=${t}`,
        });
        const inactiveOnB = (await introspect(b.base, t)) === false;
        const rsMs = await waitFor(async () => (await country(m1.base, t)) === 401 && (await country(m2.base, t)) === 401, {
          timeoutMs: 12_000,
        });
        figure(`revoked ${client.id} token refused by both ms-systems after (ms)`, rsMs ?? 'never');
        check(
          `revocation via A (${client.id}): inactive on B at once, 401 at both ms-systems within 10 s`,
          okBefore && inactiveOnB && rsMs !== undefined && rsMs <= 10_000,
        );
      }

      // rotate-secret through the CLI holds on both instances at once.
      for (const s of [a, b]) await token(s.base, SEEDED.opaque); // cache the old secret on both
      const newSecret = /client_secret: (\S+)/.exec(cli(authEnv, 'rotate-secret', SEEDED.opaque.id))[1];
      const oldRefused = (await token(a.base, SEEDED.opaque)).status === 401 && (await token(b.base, SEEDED.opaque)).status === 401;
      const rotated = { id: SEEDED.opaque.id, secret: newSecret };
      const newWorks = (await token(a.base, rotated)).status === 200 && (await token(b.base, rotated)).status === 200;
      check('rotate-secret (CLI): the old secret fails on A and B at once, the new one works', oldRefused && newWorks);
      SEEDED.opaque.secret = newSecret;

      // disable through the CLI: no more tokens anywhere, its tokens inactive everywhere.
      const created = cli(authEnv, 'create', 'fault-client', '--scope', 'country.read', '--format', 'opaque');
      const faultClient = { id: 'fault-client', secret: /client_secret: (\S+)/.exec(created)[1] };
      const tA = (await token(a.base, faultClient)).body.access_token;
      const tB = (await token(b.base, faultClient)).body.access_token;
      cli(authEnv, 'disable', 'fault-client');
      const refused = (await token(a.base, faultClient)).status === 401 && (await token(b.base, faultClient)).status === 401;
      const inactive = (await introspect(a.base, tB)) === false && (await introspect(b.base, tA)) === false;
      const disabledMs = await waitFor(async () => (await country(m1.base, tA)) === 401 && (await country(m2.base, tB)) === 401, {
        timeoutMs: 12_000,
      });
      figure('disabled client token refused by both ms-systems after (ms)', disabledMs ?? 'never');
      check(
        'disable (CLI): no token on A or B, its tokens inactive on both at once, refused by both ms-systems within 10 s',
        refused && inactive && disabledMs !== undefined,
      );

      // rotate-signing-key through the CLI while tokens from A and B go to both ms-systems.
      const kidOf = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url').toString()).kid;
      const oldKid = kidOf((await token(a.base, SEEDED.jwt)).body.access_token);
      let presented = 0;
      let rejected = 0;
      const rejectedBy = { 'ms-system 1': 0, 'ms-system 2': 0 };
      const kidsSeen = new Set();
      let rotating = true;
      const traffic = Array.from({ length: 4 }, async (_, w) => {
        while (rotating) {
          const t = (await token(w % 2 ? b.base : a.base, SEEDED.jwt)).body?.access_token;
          if (!t) continue;
          kidsSeen.add(kidOf(t));
          for (const m of [m1, m2]) {
            presented++;
            if ((await country(m.base, t)) !== 200) {
              rejected++;
              rejectedBy[m.name] = (rejectedBy[m.name] ?? 0) + 1;
            }
          }
        }
      });
      await sleep(1000);
      const rotation = cli(authEnv, 'rotate-signing-key', '--alg', 'RS256');
      const newKid = /RS256 signing key (\S+)/.exec(rotation)[1];
      const switched = await waitFor(
        async () =>
          kidOf((await token(a.base, SEEDED.jwt)).body.access_token) === newKid &&
          kidOf((await token(b.base, SEEDED.jwt)).body.access_token) === newKid,
        { timeoutMs: 15_000 },
      );
      await sleep(2000);
      rotating = false;
      await Promise.all(traffic);
      figure('tokens presented to the ms-systems across the rotation', presented);
      figure('rejected tokens across the key rotation (per ms-system instance)', `${rejected} (${JSON.stringify(rejectedBy)})`);
      check(
        'rotate-signing-key (CLI): A and B sign with the new key after the pre-publish wait',
        switched !== undefined && kidsSeen.has(oldKid) && kidsSeen.has(newKid),
        `switched after ${switched} ms`,
      );
      check('no rejected token across the key rotation (two ms-systems)', rejected === 0 && presented > 0, `${rejected} of ${presented}`);

      for (const p of [m2, m1, b, a]) await p.stop();
      await lb.close();
    }

    // ---------------------------------------------------------------------------------------
    log('\n5. wrong-secret flood, then saturation and memory');
    {
      const port = await freePort();
      const auth = await start('auth-server', 'auth-server', { PORT: String(port), ISSUER: `http://127.0.0.1:${port}/ms-auth-server` });
      const flood = await measureFlood({
        url: `${auth.base}/oauth2/token`,
        goodHeaders: { ...FORM, authorization: basic(SEEDED.jwt.id, SEEDED.jwt.secret) },
        body: 'grant_type=client_credentials&scope=country.read',
        floodClientId: SEEDED.jwt.id,
        connections: 10,
        floodConnections: 50,
        duration: 4,
        warmup: 1,
      });
      figure('good client alone (req/s)', Math.round(flood.alone.rps));
      figure('good client under the flood (req/s)', Math.round(flood.under.rps));
      figure('flood ratio (target ≥ 0.8)', flood.ratio.toFixed(2));
      figure('flood answered', JSON.stringify(flood.floodStatuses));
      check('the good client got no error under the flood', flood.under.errors === 0, `${flood.under.errors}`);
      check('the flood was throttled (429)', (flood.floodStatuses['429'] ?? 0) > 0);
      if (flood.ratio < 0.8)
        log(`    note: ratio ${flood.ratio.toFixed(2)} below the 0.8 target on this machine (timing: reported, not asserted)`);

      const rssBefore = Math.round(auth.rssMb());
      const good = { url: `${auth.base}/oauth2/token`, init: tokenRequest(auth.base, SEEDED.jwt).init };
      const saturation = drive({ connections: 200, request: () => good, onResponse: () => undefined });
      await sleep(10_000);
      await saturation.stop();
      const rssPeak = Math.round(auth.rssMb());
      await sleep(10_000);
      const rssAfter = Math.round(auth.rssMb());
      figure(
        'auth-server RSS (MB): before / end of 10 s of 200-connection token load / 10 s later (target < 150)',
        `${rssBefore} / ${rssPeak} / ${rssAfter}`,
      );
      check('auth-server RSS < 150 MB after saturation', rssAfter < 150, `${rssAfter} MB`);
      await auth.stop();
    }
  } finally {
    for (const p of processes.reverse()) await p.stop().catch(() => undefined);
    await pg.destroy().catch(() => undefined);
  }

  console.log('\nfault suite figures');
  for (const [name, value] of figures) console.log(`  ${name}: ${value}`);
  console.log(
    `\n${failures.length ? `${failures.length} check(s) failed:\n  - ${failures.join('\n  - ')}` : 'every check held'} (${Math.round((Date.now() - started) / 1000)} s)`,
  );
  if (failures.length) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
