import { AuthServerSchema1763900000000 } from './1763900000000-auth-server-schema';
import { JanitorAuditBrin1796100000000 } from './1796100000000-janitor-audit-brin';

/** In order. Migrations run at boot (DatabaseModule), each in its own transaction. */
export const AUTH_SERVER_MIGRATIONS = [AuthServerSchema1763900000000, JanitorAuditBrin1796100000000];
