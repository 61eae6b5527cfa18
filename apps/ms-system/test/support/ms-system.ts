import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestDatabase, type TestDatabase } from '@playground/testing';
import { createMsSystemApp } from '../../src/app/bootstrap';
import { startFakeAuthServer, type FakeAuthServer } from '@playground/testing';

export interface MsSystemUnderTest {
  app: NestFastifyApplication;
  /** e.g. http://127.0.0.1:41234/ms-system */
  url: string;
  auth: FakeAuthServer;
  db: TestDatabase;
  close(): Promise<void>;
}

/**
 * ms-system in-process on a free port, on a fresh database of the test PostgreSQL, trusting a
 * tiny local authorization server (JWKS, introspection, revocations feed) that mints tokens.
 */
export async function startMsSystem(
  env: Record<string, string> = {},
  /** Another instance's database and authorization server: two instances, one Postgres. */
  shared?: Pick<MsSystemUnderTest, 'db' | 'auth'>,
): Promise<MsSystemUnderTest> {
  const db = shared?.db ?? (await createTestDatabase('ms_system'));
  const auth = shared?.auth ?? (await startFakeAuthServer());
  const saved = { ...process.env };
  Object.assign(process.env, { DATABASE_URL: db.url, AUTH_SERVER_URL: auth.issuer, LOG_LEVEL: 'warn', ...env });
  let app: NestFastifyApplication;
  try {
    app = await createMsSystemApp();
    await app.listen(0, '127.0.0.1');
  } finally {
    process.env = saved;
  }
  const url = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/ms-system`;
  return {
    app,
    url,
    auth,
    db,
    close: async () => {
      await app.close();
      if (shared) return;
      await auth.close();
      await db.drop();
    },
  };
}
