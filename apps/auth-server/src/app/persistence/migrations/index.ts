import { AuthServerSchema1763900000000 } from './1763900000000-auth-server-schema';
import { SigningKeyPrepublish1764400000000 } from './1764400000000-signing-key-prepublish';
import { ClientKeysAndAssertions1795974289254 } from './1795974289254-client-keys-and-assertions';

/** In order. Migrations run at boot (DatabaseModule), each in its own transaction. */
export const AUTH_SERVER_MIGRATIONS = [AuthServerSchema1763900000000, SigningKeyPrepublish1764400000000, ClientKeysAndAssertions1795974289254];
