import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** `next`: published in the JWKS, signing from `activates_at` on (pre-published rollover). */
export type SigningKeyStatus = 'next' | 'active' | 'retired';

@Entity({ name: 'signing_keys' })
export class SigningKeyEntity {
  @PrimaryColumn({ type: 'text' })
  kid!: string;

  @Column({ type: 'text' })
  alg!: string;

  /** The public members of the JWK (kty and n, e / crv, x, y / crv, x) as published in the JWKS. */
  @Column({ name: 'public_jwk', type: 'jsonb' })
  publicJwk!: Record<string, string>;

  /**
   * Legacy: a clear-text PKCS#8 PEM written before keys were encrypted at rest. The server
   * encrypts such a row at start and nulls this column (see KeyEncryption).
   */
  @Column({ name: 'private_key_pem', type: 'text', nullable: true })
  privateKeyPem!: string | null;

  /**
   * The PKCS#8 PEM of the private key sealed with AES-256-GCM under the key-encryption key
   * (`SIGNING_KEY_ENCRYPTION_KEY`), so a database dump alone cannot mint tokens. A real
   * deployment goes further and keeps signing keys in a KMS/HSM that only ever signs.
   */
  @Column({ name: 'private_key_encrypted', type: 'text', nullable: true })
  privateKeyEncrypted!: string | null;

  @Column({ type: 'text' })
  status!: SigningKeyStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;

  /** For a `next` key: when it starts signing. */
  @Column({ name: 'activates_at', type: 'timestamptz', nullable: true })
  activatesAt!: Date | null;
}
