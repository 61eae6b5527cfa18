import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The auth-server schema, written by hand (never `synchronize`). Unqualified names land in the
 * `auth_server` schema: the database lib sets `search_path` to the service's schema.
 */
export class AuthServerSchema1763900000000 implements MigrationInterface {
  name = 'AuthServerSchema1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE clients (
        client_id              text PRIMARY KEY CHECK (length(client_id) BETWEEN 1 AND 200),
        secret_hash            text NOT NULL,
        secret_version         integer NOT NULL DEFAULT 1,
        auth_methods           text[] NOT NULL,
        grant_types            text[] NOT NULL,
        token_format           text NOT NULL CHECK (token_format IN ('opaque', 'jwt')),
        scopes                 text[] NOT NULL,
        may_introspect         boolean NOT NULL DEFAULT false,
        token_lifetime_seconds integer NOT NULL CHECK (token_lifetime_seconds > 0),
        enabled                boolean NOT NULL DEFAULT true,
        seeded                 boolean NOT NULL DEFAULT false,
        created_at             timestamptz NOT NULL DEFAULT now(),
        updated_at             timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE signing_keys (
        kid             text PRIMARY KEY,
        alg             text NOT NULL,
        public_jwk      jsonb NOT NULL,
        private_key_pem text NOT NULL,
        status          text NOT NULL CHECK (status IN ('active', 'retired')),
        created_at      timestamptz NOT NULL DEFAULT now(),
        retired_at      timestamptz
      )`);
    // At most one active key, even when two processes generate the first key at once.
    await q.query(`CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (status) WHERE status = 'active'`);
    await q.query(`
      CREATE TABLE tokens (
        jti        text PRIMARY KEY,
        format     text NOT NULL CHECK (format IN ('opaque', 'jwt')),
        token_hash bytea UNIQUE,
        kid        text REFERENCES signing_keys (kid),
        client_id  text NOT NULL REFERENCES clients (client_id),
        scope      text NOT NULL,
        iat        bigint NOT NULL,
        exp        bigint NOT NULL,
        revoked_at timestamptz,
        CHECK ((format = 'opaque') = (token_hash IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX tokens_kid_exp ON tokens (kid, exp) WHERE kid IS NOT NULL`);
    await q.query(`CREATE INDEX tokens_exp ON tokens (exp)`);
    await q.query(`
      CREATE TABLE revocations (
        id         bigserial PRIMARY KEY,
        jti        text NOT NULL UNIQUE REFERENCES tokens (jti),
        exp        bigint NOT NULL,
        revoked_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX revocations_exp ON revocations (exp)`);
    await q.query(`
      CREATE TABLE audit_log (
        id        bigserial PRIMARY KEY,
        event     text NOT NULL,
        client_id text,
        detail    jsonb NOT NULL DEFAULT '{}',
        at        timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX audit_log_client_at ON audit_log (client_id, at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP TABLE revocations`);
    await q.query(`DROP TABLE tokens`);
    await q.query(`DROP TABLE signing_keys`);
    await q.query(`DROP TABLE clients`);
  }
}
