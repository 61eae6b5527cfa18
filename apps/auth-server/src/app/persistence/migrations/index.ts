import { AuthServerSchema1763900000000 } from './1763900000000-auth-server-schema';
import { SigningKeyPrepublish1764400000000 } from './1764400000000-signing-key-prepublish';
import { ClientKeysAndAssertions1795974289254 } from './1795974289254-client-keys-and-assertions';
import { ResourceIndicatorsAndDpop1795990000000 } from './1795990000000-resource-indicators-and-dpop';
import { JanitorAuditBrin1796100000000 } from './1796100000000-janitor-audit-brin';

/** In order. Migrations run at boot (DatabaseModule), each in its own transaction. */
export const AUTH_SERVER_MIGRATIONS = [
  AuthServerSchema1763900000000,
  SigningKeyPrepublish1764400000000,
  ClientKeysAndAssertions1795974289254,
  ResourceIndicatorsAndDpop1795990000000,
  JanitorAuditBrin1796100000000,
];
