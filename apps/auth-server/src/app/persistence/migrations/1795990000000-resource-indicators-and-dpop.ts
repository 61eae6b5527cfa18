import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Resource indicators (RFC 8707) and DPoP (RFC 9449):
 * - `resource_servers`: the resources a token may be meant for (seeded at boot: ms-system's
 *   identifier from MS_SYSTEM_RESOURCE and `urn:playground:reports`);
 * - `clients.allowed_resources` (NULL: any registered resource) and `clients.require_dpop`;
 * - `tokens.audience` (the resource indicators a token was issued for; NULL: `[client_id]`) and
 *   `tokens.cnf_jkt` (RFC 7638 thumbprint of the DPoP key an opaque or JWT token is bound to);
 * - `dpop_proofs`: the `jti` of every proof the token endpoint accepted, until it is too old to
 *   be accepted anyway, so a captured proof cannot buy a second token on any instance.
 */
export class ResourceIndicatorsAndDpop1795990000000 implements MigrationInterface {
  name = 'ResourceIndicatorsAndDpop1795990000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE resource_servers (
        resource   text PRIMARY KEY CHECK (length(resource) BETWEEN 1 AND 2000),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`ALTER TABLE clients ADD COLUMN allowed_resources text[]`);
    await q.query(`ALTER TABLE clients ADD COLUMN require_dpop boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE tokens ADD COLUMN audience text[]`);
    await q.query(`ALTER TABLE tokens ADD COLUMN cnf_jkt text CHECK (cnf_jkt IS NULL OR length(cnf_jkt) = 43)`);
    // UNLOGGED: worthless after 60 s, so not worth a WAL flush per token request (ADR 0008).
    await q.query(`
      CREATE UNLOGGED TABLE dpop_proofs (
        jti_hash   bytea PRIMARY KEY,
        expires_at bigint NOT NULL
      )`);
    await q.query(`CREATE INDEX dpop_proofs_expires_at ON dpop_proofs (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dpop_proofs`);
    await q.query(`ALTER TABLE tokens DROP COLUMN cnf_jkt`);
    await q.query(`ALTER TABLE tokens DROP COLUMN audience`);
    await q.query(`ALTER TABLE clients DROP COLUMN require_dpop`);
    await q.query(`ALTER TABLE clients DROP COLUMN allowed_resources`);
    await q.query(`DROP TABLE resource_servers`);
  }
}
