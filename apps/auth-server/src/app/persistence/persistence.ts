import { DatabaseModule } from '@playground/database';
import { AUTH_SERVER_ENTITIES } from './entities';
import { AUTH_SERVER_MIGRATIONS } from './migrations';

/** The Postgres schema the auth-server owns; it never reads another service's schema. */
export const AUTH_SERVER_SCHEMA = 'auth_server';

export function authServerDatabase() {
  return DatabaseModule.forService({
    schema: AUTH_SERVER_SCHEMA,
    entities: AUTH_SERVER_ENTITIES,
    migrations: AUTH_SERVER_MIGRATIONS,
    // Every token issue commits (token + audit row), and under load commits wait on the WAL
    // flush, not on CPU. Postgres flushes all waiting commits together (group commit), so more
    // connections in flight means more tokens per fsync: 10 → 24 roughly doubled tokens/s in
    // the bench (ADR 0006). Still far below Postgres' default max_connections of 100.
    poolSize: 24,
  });
}
