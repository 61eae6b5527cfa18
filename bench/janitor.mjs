#!/usr/bin/env node
// `node bench/janitor.mjs [--rows N] [--quick]` (after `npx nx build auth-server`): what millions
// of expired rows cost the token endpoint, and what the janitor gives back (ADR 0009).
//
// One throwaway embedded PostgreSQL and one production auth-server (janitor schedule off). The
// opaque token endpoint (a token row + an audit row per request) is measured three times, in one
// run: on a fresh database; after N expired tokens with an audit row each have been written
// (what months without a janitor leave); and after `clients -- janitor` deleted them and
// VACUUM ran (what autovacuum does soon after).
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { measure } from './lib/load.mjs';
import { startBenchPostgres } from './lib/postgres.mjs';
import { freePort, startProcess } from './lib/processes.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argValue = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const quick = process.argv.includes('--quick');
const rows = Number(argValue('--rows') ?? (quick ? 200_000 : 3_000_000));
// A long first warm-up: the first figure must not be the JIT's.
const load = quick ? { connections: 20, duration: 3, warmup: 2 } : { connections: 20, duration: 10, warmup: 3 };
const log = (line) => process.stderr.write(`${line}\n`);

const postgres = await startBenchPostgres({ prefix: 'bench-janitor-' });
let server;
try {
  const port = await freePort();
  const authUrl = `http://127.0.0.1:${port}/ms-auth-server`;
  const env = {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    DATABASE_URL: postgres.url,
    ISSUER: authUrl,
    ARCHIVAL_CLIENT_SECRET: 'bench-archival-secret-not-the-default',
    JANITOR_CRON: 'off',
  };
  const cli = (...args) =>
    execFileSync(process.execPath, [join(root, 'dist/apps/auth-server/cli.js'), ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
  // Production refuses the published dev secrets: rotate them as an operator would.
  const secret = (id) => /client_secret: (\S+)/.exec(cli('rotate-secret', id))[1];
  const opaque = { id: 'user-client-opaque', secret: secret('user-client-opaque') };
  secret('service-client-jwt');
  server = await startProcess('auth-server', [join(root, 'dist/apps/auth-server/main.js')], {
    env: { ...env, PORT: String(port) },
    readyUrl: `${authUrl}/health`,
  });

  const db = new pg.Client({ connectionString: env.DATABASE_URL, options: '-c search_path=auth_server' });
  db.on('error', () => undefined); // Postgres stopping under it at the end is not news
  await db.connect();
  const size = async () => {
    const {
      rows: [r],
    } = await db.query(
      `SELECT count(*)::int AS tokens, pg_size_pretty(pg_total_relation_size('tokens') + pg_total_relation_size('audit_log')) AS size FROM tokens`,
    );
    return `${r.tokens.toLocaleString('en')} token rows, tokens + audit_log ${r.size}`;
  };
  const tokenEndpoint = (title) =>
    measure({
      title,
      url: `${authUrl}/oauth2/token`,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: opaque.id, client_secret: opaque.secret }).toString(),
      ...load,
    });

  log(
    `janitor bench: ${rows.toLocaleString('en')} expired rows, ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  await tokenEndpoint('warm-up (not reported)');
  const results = [];
  results.push({ ...(await tokenEndpoint('fresh database')), state: await size() });

  log(`writing ${rows.toLocaleString('en')} expired tokens with an audit row each …`);
  const started = performance.now();
  const chunk = 250_000;
  const expiredAt = Math.floor(Date.now() / 1000) - 7 * 86_400;
  for (let from = 1; from <= rows; from += chunk) {
    const to = Math.min(rows, from + chunk - 1);
    // Random jtis and hashes, as real tokens have: the indexes grow the way traffic grows them.
    await db.query(
      `WITH t AS (
         INSERT INTO tokens (jti, format, token_hash, client_id, scope, iat, exp)
         SELECT gen_random_uuid()::text, 'opaque', sha256(gen_random_uuid()::text::bytea), 'user-client-opaque', 'country.read', $3::bigint - 300, $3::bigint
           FROM generate_series($1::int, $2::int)
         RETURNING jti)
       INSERT INTO audit_log (event, client_id, detail, at)
       SELECT 'token_issued', 'user-client-opaque', jsonb_build_object('jti', jti), now() - interval '100 days' FROM t`,
      [from, to, expiredAt],
    );
  }
  await db.query('ANALYZE tokens; ANALYZE audit_log');
  log(`  written in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  results.push({ ...(await tokenEndpoint(`${rows.toLocaleString('en')} expired rows, no janitor`)), state: await size() });

  const sweepStarted = performance.now();
  const printed = cli('janitor').trim();
  const sweepSeconds = (performance.now() - sweepStarted) / 1000;
  log(`  clients -- janitor: ${printed} (${sweepSeconds.toFixed(1)} s, CLI start included)`);
  for (const table of ['tokens', 'audit_log', 'revocations']) await db.query(`VACUUM (ANALYZE) ${table}`);
  results.push({ ...(await tokenEndpoint('after the janitor (+ VACUUM)')), state: await size() });
  await db.end();

  const base = results[0].rps;
  const table = [
    '| token endpoint, opaque | req/s | vs fresh | p50 ms | p99 ms | errors | table state after the run |',
    '|---|---|---|---|---|---|---|',
    ...results.map(
      (r) => `| ${r.title} | ${Math.round(r.rps)} | ${(r.rps / base).toFixed(2)}× | ${r.p50} | ${r.p99} | ${r.errors} | ${r.state} |`,
    ),
  ];
  process.stdout.write(`\n${table.join('\n')}\n\njanitor: ${printed} in ${sweepSeconds.toFixed(1)} s\n`);
  if (results.some((r) => r.errors)) process.exitCode = 1;
} finally {
  await server?.stop();
  await postgres.stop();
}
