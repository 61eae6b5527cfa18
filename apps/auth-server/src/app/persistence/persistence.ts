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
  });
}
