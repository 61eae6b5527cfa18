import { createTestDatabase, freePort, startBuiltApp, type RunningApp, type TestDatabase } from '@playground/testing';
import { resolve } from 'node:path';

export type AppName = 'auth-server' | 'ms-system' | 'archival-service' | 'console';

const BASE_PATHS: Record<AppName, string> = {
  'auth-server': '/ms-auth-server',
  'ms-system': '/ms-system',
  'archival-service': '/archival-service',
  console: '/console',
};

export interface Playground {
  db: TestDatabase;
  apps: Partial<Record<AppName, RunningApp>>;
  ports: Record<AppName, number>;
  /** Base URL (with base path) of each app, whether running or not. */
  url(app: AppName): string;
  /** Starts (or restarts) one app with the playground's wiring plus `env`. */
  start(app: AppName, env?: Record<string, string>): Promise<RunningApp>;
  stop(app: AppName): Promise<void>;
  close(): Promise<void>;
}

/**
 * A playground for one test file: a fresh database on the test PostgreSQL and free loopback
 * ports for every app; apps are started on demand, already wired to each other.
 */
export async function createPlayground(): Promise<Playground> {
  const db = await createTestDatabase('e2e');
  const ports = {
    'auth-server': await freePort(),
    'ms-system': await freePort(),
    'archival-service': await freePort(),
    console: await freePort(),
  } satisfies Record<AppName, number>;
  const url = (app: AppName) => `http://127.0.0.1:${ports[app]}${BASE_PATHS[app]}`;
  const wiring: Record<string, string> = {
    DATABASE_URL: db.url,
    ISSUER: url('auth-server'),
    AUTH_SERVER_URL: url('auth-server'),
    MS_SYSTEM_URL: url('ms-system'),
    ARCHIVAL_SERVICE_URL: url('archival-service'),
    LOG_LEVEL: 'info',
  };
  const apps: Playground['apps'] = {};
  const playground: Playground = {
    db,
    apps,
    ports,
    url,
    start: async (app, env = {}) => {
      await apps[app]?.stop();
      apps[app] = await startBuiltApp({
        name: app,
        port: ports[app],
        basePath: BASE_PATHS[app],
        env: { ...wiring, ...env },
        workspaceRoot: resolve(__dirname, '../../../..'),
      });
      return apps[app] as RunningApp;
    },
    stop: async (app) => {
      await apps[app]?.stop();
      delete apps[app];
    },
    close: async () => {
      await Promise.all(Object.values(apps).map((a) => a?.stop()));
      await db.drop();
    },
  };
  return playground;
}

/**
 * The whole playground for the enclosing `describe`, as `npm start` wires it: a fresh database,
 * then the auth-server, then ms-system and archival-service (its schedule off: runs only on
 * request). Registers the `beforeAll`/`afterAll` that start and stop it; call the returned
 * function inside tests. `envFor` adds variables per app (it sees the playground's ports).
 */
export function usePlayground(
  envFor: (playground: Playground) => Partial<Record<AppName, Record<string, string>>> = () => ({}),
): () => Playground {
  let playground: Playground | undefined;
  beforeAll(async () => {
    playground = await createPlayground();
    const env = envFor(playground);
    await playground.start('auth-server', env['auth-server']);
    await Promise.all([
      playground.start('ms-system', env['ms-system']),
      playground.start('archival-service', { ARCHIVAL_CRON: 'off', ...env['archival-service'] }),
    ]);
  }, 90_000);
  afterAll(async () => {
    await playground?.close();
  }, 60_000);
  return () => {
    if (!playground) throw new Error('the playground did not start');
    return playground;
  };
}
