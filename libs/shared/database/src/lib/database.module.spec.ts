import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../testing';
import { DatabaseModule } from './database.module';

class CreateThings1700000000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE "things" ("id" int PRIMARY KEY)`);
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "things"`);
  }
}

@Injectable()
class Probe {
  constructor(@InjectDataSource() readonly dataSource: DataSource) {}
}

@Module({
  imports: [DatabaseModule.forService({ schema: 'probe', entities: [], migrations: [CreateThings1700000000000] })],
  providers: [Probe],
})
class ProbeModule {}

describe('DatabaseModule', () => {
  let db: TestDatabase;
  const previous = process.env['DATABASE_URL'];

  beforeAll(async () => {
    db = await createTestDatabase('database_module');
    process.env['DATABASE_URL'] = db.url;
  });
  afterAll(async () => {
    process.env['DATABASE_URL'] = previous;
    await db.drop();
  });

  it('creates the service schema and runs its migrations there, once', async () => {
    for (let boot = 0; boot < 2; boot++) {
      // An application context is enough (no HTTP): the migrations run on module init.
      const moduleRef = await Test.createTestingModule({ imports: [ProbeModule] }).compile();
      await moduleRef.init();
      await moduleRef.close();
    }
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const tables = await client.query(
      `SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema = 'probe' ORDER BY table_name`,
    );
    const migrations = await client.query(`SELECT name FROM probe.migrations`);
    await client.end();
    expect(tables.rows).toEqual([
      { table_schema: 'probe', table_name: 'migrations' },
      { table_schema: 'probe', table_name: 'things' },
    ]);
    expect(migrations.rows).toEqual([{ name: 'CreateThings1700000000000' }]);
  });
});
