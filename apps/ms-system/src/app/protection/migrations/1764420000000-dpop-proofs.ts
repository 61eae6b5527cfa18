import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `dpop_proofs`: the proofs (RFC 9449) ms-system accepted, by hash of key thumbprint + `jti`,
 * until they would be stale anyway — shared by every ms-system instance on this database, so a
 * captured proof is refused on all of them (ADR 0007).
 */
export class DpopProofs1764420000000 implements MigrationInterface {
  name = 'DpopProofs1764420000000';

  async up(q: QueryRunner): Promise<void> {
    // UNLOGGED: no WAL, so an insert commits without waiting for a disk flush (a logged table
    // made every DPoP request wait for fsync: ~16× slower in the bench). The price: after a
    // Postgres crash the table is empty — proofs seen in the last 60 s could be replayed once
    // more, and standbys do not see it. Acceptable for state that is worthless after 60 s (ADR 0008).
    await q.query(`CREATE UNLOGGED TABLE dpop_proofs (key text PRIMARY KEY, stale_at bigint NOT NULL)`);
    await q.query(`CREATE INDEX dpop_proofs_stale_at ON dpop_proofs (stale_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dpop_proofs`);
  }
}
