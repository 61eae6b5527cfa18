import type { MigrationInterface, QueryRunner } from 'typeorm';
import { iso3166Countries } from '../iso-3166';

/**
 * The country table and its 249 rows. Runs inside the `ms_system` schema (search_path).
 * Countries never change at run time; a later change to the list is a new migration.
 */
export class CreateCountries1732300000000 implements MigrationInterface {
  name = 'CreateCountries1732300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE country (
        code char(3) PRIMARY KEY CHECK (code ~ '^[A-Z]{3}$'),
        name varchar(100) NOT NULL
      )`);
    const rows = iso3166Countries();
    const values = rows.map((_, i) => `($${2 * i + 1}, $${2 * i + 2})`).join(', ');
    await queryRunner.query(
      `INSERT INTO country (code, name) VALUES ${values}`,
      rows.flatMap((row) => [row.code, row.name]),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE country');
  }
}
