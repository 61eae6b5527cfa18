import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from './transformers';

/**
 * The `jti` of every client assertion accepted (RFC 7523 §3 item 7), kept until the assertion
 * expires so that each one is usable once, by any instance (docs/adr/0010-private-key-jwt-and-signing-keys.md).
 */
@Entity({ name: 'client_assertion_jtis' })
export class ClientAssertionJtiEntity {
  @PrimaryColumn({ name: 'client_id', type: 'text' })
  clientId!: string;

  @PrimaryColumn({ type: 'text' })
  jti!: string;

  /** Unix seconds after which the row may go: the assertion's `exp` plus the clock tolerance. */
  @Column({ name: 'expires_at', type: 'bigint', transformer: bigintAsNumber })
  expiresAt!: number;
}
