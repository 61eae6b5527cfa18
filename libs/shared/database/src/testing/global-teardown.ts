import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PostgresServer } from '../lib/postgres-server';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __playgroundPostgres?: PostgresServer }).__playgroundPostgres;
  if (!server) return;
  await server.stop();
  const dataDir = process.env['TEST_PG_DATA_DIR'];
  if (dataDir) rmSync(dirname(dataDir), { recursive: true, force: true });
}
