import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type AuditEventType =
  | 'token_issued'
  | 'token_revoked'
  | 'client_auth_failed'
  | 'client_created'
  | 'client_secret_rotated'
  | 'client_keys_replaced'
  | 'client_disabled'
  | 'signing_key_rotated';

/** Who did what, when. Never a secret or a token: ids (client_id, jti, kid) and reasons only. */
@Entity({ name: 'audit_log' })
export class AuditEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  event!: AuditEventType;

  @Column({ name: 'client_id', type: 'text', nullable: true })
  clientId!: string | null;

  @Column({ type: 'jsonb', default: {} })
  detail!: Record<string, unknown>;

  @CreateDateColumn({ name: 'at', type: 'timestamptz' })
  at!: Date;
}
