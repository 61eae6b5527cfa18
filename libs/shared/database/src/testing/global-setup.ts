import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { externalDatabaseUrl, startEmbeddedPostgres, type PostgresServer } from '../lib/postgres-server';
import { freePort } from './free-port';

/**
 * Jest globalSetup for suites that touch persistence: one real PostgreSQL per Jest run.
 * With DATABASE_URL (or PG*) set, that server is used; otherwise a throwaway embedded
 * PostgreSQL starts in a temp dir on a free loopback port. Each suite then creates its own
 * database with `createTestDatabase()`, so suites never see each other's rows.
 */
export default async function globalSetup(): Promise<void> {
  const external = externalDatabaseUrl();
  if (external) {
    process.env['TEST_DATABASE_URL'] = external;
    return;
  }
  const parent = mkdtempSync(join(tmpdir(), 'playground-pg-'));
  // As root, Postgres runs as a separate user, which must be able to enter the temp dir.
  chmodSync(parent, 0o755);
  const dataDir = join(parent, 'data');
  const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'postgres' });
  process.env['TEST_DATABASE_URL'] = server.url;
  process.env['TEST_PG_DATA_DIR'] = dataDir;
  (globalThis as { __playgroundPostgres?: PostgresServer }).__playgroundPostgres = server;
}
