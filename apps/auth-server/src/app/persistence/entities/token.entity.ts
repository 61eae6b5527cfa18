import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from './transformers';

/**
 * Every issued access token, whatever its format, so that introspection and revocation answer
 * from stored state. Opaque tokens are found by the SHA-256 of the token (the token itself is
 * never stored); JWTs by their `jti` (the JWT is never stored either).
 */
@Entity({ name: 'tokens' })
export class TokenEntity {
  @PrimaryColumn({ type: 'text' })
  jti!: string;

  @Column({ type: 'text' })
  format!: string;

  /** SHA-256 of an opaque token; null for JWTs. */
  @Column({ name: 'token_hash', type: 'bytea', nullable: true })
  tokenHash!: Buffer | null;

  /** Signing key of a JWT, so the JWKS keeps a retired key while its tokens live. */
  @Column({ type: 'text', nullable: true })
  kid!: string | null;

  @Column({ name: 'client_id', type: 'text' })
  clientId!: string;

  @Column({ type: 'text' })
  scope!: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  iat!: number;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  exp!: number;

  /** RFC 8707 resource indicators the token is meant for; null: the client itself (`aud: [client_id]`). */
  @Column({ type: 'text', array: true, nullable: true })
  audience!: string[] | null;

  /** RFC 9449 §6: thumbprint of the DPoP key the token is bound to; null for a bearer token. */
  @Column({ name: 'cnf_jkt', type: 'text', nullable: true })
  cnfJkt!: string | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
