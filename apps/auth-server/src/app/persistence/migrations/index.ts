import { AuthServerSchema1763900000000 } from './1763900000000-auth-server-schema';
import { ResourceIndicatorsAndDpop1764420000000 } from './1764420000000-resource-indicators-and-dpop';

/** In order. Migrations run at boot (DatabaseModule), each in its own transaction. */
export const AUTH_SERVER_MIGRATIONS = [AuthServerSchema1763900000000, ResourceIndicatorsAndDpop1764420000000];
