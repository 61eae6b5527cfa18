import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** `next`: published in the JWKS, signing from `activates_at` on (pre-published rollover). */
export type SigningKeyStatus = 'next' | 'active' | 'retired';

@Entity({ name: 'signing_keys' })
export class SigningKeyEntity {
  @PrimaryColumn({ type: 'text' })
  kid!: string;

  @Column({ type: 'text' })
  alg!: string;

  /** The public JWK (kty, n, e) as published in the JWKS. */
  @Column({ name: 'public_jwk', type: 'jsonb' })
  publicJwk!: Record<string, string>;

  /**
   * PKCS#8 PEM of the private key, in the database. A playground trade-off: a real deployment
   * keeps signing keys in a KMS/HSM and only ever asks it to sign, so a database dump cannot
   * mint tokens.
   */
  @Column({ name: 'private_key_pem', type: 'text' })
  privateKeyPem!: string;

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
