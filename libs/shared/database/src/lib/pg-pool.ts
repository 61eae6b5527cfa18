import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * The `pg` pool behind a TypeORM Postgres DataSource: same connections, same `search_path`. For
 * what TypeORM's `query()` cannot do, such as named prepared statements (parsed and planned once
 * per connection). TypeORM does not type its driver's pool, so this is the one place that
 * reaches into it; it throws if the DataSource is not a connected Postgres one.
 */
export function pgPoolOf(dataSource: DataSource): Pool {
  const pool = (dataSource.driver as Partial<PostgresDriver>).master as Pool | undefined;
  if (dataSource.options.type !== 'postgres' || typeof pool?.query !== 'function') {
    throw new Error('pgPoolOf: not a connected Postgres DataSource');
  }
  return pool;
}
