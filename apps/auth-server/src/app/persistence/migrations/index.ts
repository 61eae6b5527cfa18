import { AuthServerSchema1763900000000 } from './1763900000000-auth-server-schema';

/** In order. Migrations run at boot (DatabaseModule), each in its own transaction. */
export const AUTH_SERVER_MIGRATIONS = [AuthServerSchema1763900000000];
