import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { bigintAsNumber } from './transformers';

/**
 * The JWT revocation feed (docs/adr/0002-jwt-revocation-feed.md): one row per revoked JWT,
 * in commit order, so resource servers can poll "what was revoked after cursor N".
 */
@Entity({ name: 'revocations' })
export class RevocationEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  jti!: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  exp!: number;

  @CreateDateColumn({ name: 'revoked_at', type: 'timestamptz' })
  revokedAt!: Date;
}
