import { AuditEventEntity } from './audit-event.entity';
import { ClientAssertionJtiEntity } from './client-assertion-jti.entity';
import { ClientEntity } from './client.entity';
import { RevocationEntity } from './revocation.entity';
import { SigningKeyEntity } from './signing-key.entity';
import { TokenEntity } from './token.entity';

export { AuditEventEntity, ClientAssertionJtiEntity, ClientEntity, RevocationEntity, SigningKeyEntity, TokenEntity };
export type { AuditEventType } from './audit-event.entity';
export type { SigningKeyStatus } from './signing-key.entity';

export const AUTH_SERVER_ENTITIES = [
  ClientEntity,
  TokenEntity,
  SigningKeyEntity,
  AuditEventEntity,
  RevocationEntity,
  ClientAssertionJtiEntity,
];
