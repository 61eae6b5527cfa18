// PgCacheEvents on a real PostgreSQL: NOTIFY from one process reaches another's LISTEN
// connection, and a lost listening connection comes back and reports everything as stale.
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@playground/database/testing';
import type { CacheEvent } from '../src/app/cache-events/cache-events.port';
import { PgCacheEvents } from '../src/app/cache-events/cache-events.repository';

describe('PgCacheEvents (LISTEN/NOTIFY, ADR 0011)', () => {
  let db: TestDatabase;
  const sources: DataSource[] = [];
  const instances: PgCacheEvents[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('cache-events');
  });
  afterAll(async () => {
    await Promise.all(instances.map((i) => i.onApplicationShutdown()));
    await Promise.all(sources.map((s) => s.destroy()));
    await db.drop();
  });

  /** One "process": its own pool and its own listener, collecting what it receives. */
  async function aProcess(listen = true): Promise<{ events: PgCacheEvents; received: CacheEvent[] }> {
    const source = await new DataSource({ type: 'postgres', url: db.url }).initialize();
    sources.push(source);
    const events = new PgCacheEvents(source, listen);
    instances.push(events);
    const received: CacheEvent[] = [];
    events.subscribe((event) => received.push(event));
    events.onModuleInit();
    return { events, received };
  }

  const until = async (condition: () => boolean, ms = 5_000) => {
    const started = Date.now();
    while (!condition()) {
      if (Date.now() - started > ms) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('delivers another process’s events, first reporting everything stale on connect', async () => {
    const a = await aProcess();
    const cli = await aProcess(false); // publishes only, like the admin CLI
    await until(() => a.received.length > 0);
    expect(a.received).toEqual([{ kind: 'all' }]);

    await cli.events.publish({ kind: 'client', clientId: 'user-client-opaque' });
    await cli.events.publish({ kind: 'signing-key' });
    await until(() => a.received.length === 3);
    expect(a.received.slice(1)).toEqual([{ kind: 'client', clientId: 'user-client-opaque' }, { kind: 'signing-key' }]);
    expect(cli.received).toEqual([]);
  });

  it('reconnects after its connection is killed and reports everything stale again', async () => {
    const a = await aProcess();
    await until(() => a.received.length === 1);
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    try {
      const { rowCount } = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'auth-server cache events' AND query LIKE 'LISTEN%'`,
      );
      expect(rowCount).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    await until(() => a.received.length === 2);
    expect(a.received).toEqual([{ kind: 'all' }, { kind: 'all' }]);

    // …and listens again.
    const b = await aProcess(false);
    await b.events.publish({ kind: 'signing-key' });
    await until(() => a.received.length === 3);
    expect(a.received[2]).toEqual({ kind: 'signing-key' });
  });

  it('a payload it does not understand counts as everything stale', async () => {
    const a = await aProcess();
    await until(() => a.received.length === 1);
    const source = sources[0];
    await source.query(`SELECT pg_notify('auth_server_cache', 'not json')`);
    await until(() => a.received.length === 2);
    expect(a.received[1]).toEqual({ kind: 'all' });
  });
});
