import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Beyond shared secrets (auth-server side):
 * - clients may authenticate with private_key_jwt (RFC 7523 §2.2): a registered JWK Set or a
 *   `jwks_uri`, never both (RFC 7591 §2); such a client has no secret, so `secret_hash` may be null;
 * - `rotate-secret --grace`: the previous secret's hash stays valid until a deadline;
 * - JWT access tokens are signed per client with RS256, PS256, ES256 or EdDSA: one active key
 *   per algorithm instead of one active key overall;
 * - client assertion `jti`s, each usable once, held until the assertion expires (ADR 0010);
 * - signing keys encrypted at rest (AES-256-GCM under a key-encryption key from the
 *   environment). Existing clear-text keys are encrypted by the server at its next start (the
 *   migration cannot see the key-encryption key), after which `private_key_pem` stays null.
 */
export class ClientKeysAndAssertions1795974289254 implements MigrationInterface {
  name = 'ClientKeysAndAssertions1795974289254';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE clients ALTER COLUMN secret_hash DROP NOT NULL`);
    await q.query(`
      ALTER TABLE clients
        ADD COLUMN previous_secret_hash       text,
        ADD COLUMN previous_secret_expires_at timestamptz,
        ADD COLUMN jwks                       jsonb,
        ADD COLUMN jwks_uri                   text CHECK (length(jwks_uri) <= 2000),
        ADD COLUMN token_signing_alg          text NOT NULL DEFAULT 'RS256'
          CHECK (token_signing_alg IN ('RS256', 'PS256', 'ES256', 'EdDSA')),
        ADD CONSTRAINT clients_one_key_source CHECK (jwks IS NULL OR jwks_uri IS NULL)`);
    await q.query(`
      CREATE TABLE client_assertion_jtis (
        client_id  text NOT NULL,
        jti        text NOT NULL CHECK (length(jti) <= 200),
        expires_at bigint NOT NULL,
        PRIMARY KEY (client_id, jti)
      )`);
    await q.query(`CREATE INDEX client_assertion_jtis_expires_at ON client_assertion_jtis (expires_at)`);
    await q.query(`ALTER TABLE signing_keys ALTER COLUMN private_key_pem DROP NOT NULL`);
    await q.query(`
      ALTER TABLE signing_keys
        ADD COLUMN private_key_encrypted text,
        ADD CONSTRAINT signing_keys_private_key_once CHECK ((private_key_pem IS NULL) <> (private_key_encrypted IS NULL))`);
    await q.query(`DROP INDEX signing_keys_one_active`);
    // At most one active key per algorithm, even when two processes generate it at once.
    await q.query(`CREATE UNIQUE INDEX signing_keys_one_active_per_alg ON signing_keys (alg) WHERE status = 'active'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX signing_keys_one_active_per_alg`);
    // Lossy on purpose: the old schema knows one active key and clear-text keys only.
    await q.query(`UPDATE signing_keys SET status = 'retired', retired_at = now() WHERE alg <> 'RS256' AND status = 'active'`);
    await q.query(`CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (status) WHERE status = 'active'`);
    await q.query(`ALTER TABLE signing_keys DROP CONSTRAINT signing_keys_private_key_once, DROP COLUMN private_key_encrypted`);
    await q.query(`DROP TABLE client_assertion_jtis`);
    await q.query(`
      ALTER TABLE clients
        DROP CONSTRAINT clients_one_key_source,
        DROP COLUMN token_signing_alg, DROP COLUMN jwks_uri, DROP COLUMN jwks,
        DROP COLUMN previous_secret_expires_at, DROP COLUMN previous_secret_hash`);
  }
}
