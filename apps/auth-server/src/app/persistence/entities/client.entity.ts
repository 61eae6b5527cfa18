import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'clients' })
export class ClientEntity {
  @PrimaryColumn({ name: 'client_id', type: 'text' })
  clientId!: string;

  /** argon2id PHC string; the secret itself is never stored. Null for a private_key_jwt-only client. */
  @Column({ name: 'secret_hash', type: 'text', nullable: true })
  secretHash!: string | null;

  /** The secret before the last `rotate-secret --grace`, valid until `previousSecretExpiresAt`. */
  @Column({ name: 'previous_secret_hash', type: 'text', nullable: true })
  previousSecretHash!: string | null;

  @Column({ name: 'previous_secret_expires_at', type: 'timestamptz', nullable: true })
  previousSecretExpiresAt!: Date | null;

  /** Registered public keys for private_key_jwt (RFC 7591 `jwks`): public members only. */
  @Column({ type: 'jsonb', nullable: true })
  jwks!: { keys: Record<string, unknown>[] } | null;

  /** Or where to fetch them (RFC 7591 `jwks_uri`); never both. */
  @Column({ name: 'jwks_uri', type: 'text', nullable: true })
  jwksUri!: string | null;

  /** JWS algorithm of this client's JWT access tokens. */
  @Column({ name: 'token_signing_alg', type: 'text', default: 'RS256' })
  tokenSigningAlg!: string;

  /** Bumped on every rotation: cached verifications of an older version are void at once. */
  @Column({ name: 'secret_version', type: 'integer', default: 1 })
  secretVersion!: number;

  @Column({ name: 'auth_methods', type: 'text', array: true })
  authMethods!: string[];

  @Column({ name: 'grant_types', type: 'text', array: true })
  grantTypes!: string[];

  @Column({ name: 'token_format', type: 'text' })
  tokenFormat!: string;

  @Column({ type: 'text', array: true })
  scopes!: string[];

  @Column({ name: 'may_introspect', type: 'boolean', default: false })
  mayIntrospect!: boolean;

  @Column({ name: 'token_lifetime_seconds', type: 'integer' })
  tokenLifetimeSeconds!: number;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  /** Seeded playground clients, checked against their dev-default secrets in production. */
  @Column({ type: 'boolean', default: false })
  seeded!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
