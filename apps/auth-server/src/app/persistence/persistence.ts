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
    // The default pool (10). Token inserts are group-committed with at most 2 statements in
    // flight, introspection lookups at most 2 per lookup column (tokens/token.repository.ts): the
    // hot paths use at most 6 connections. 10 and the former 24 measured alike (ADR 0012), and
    // every instance holds 14 fewer Postgres backends.
  });
}
