import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, freePort, startBuiltApp, type RunningApp, type TestDatabase } from '@playground/testing';
import { startRoundRobinFront, type RoundRobinFront } from './round-robin-front';

const WORKSPACE = resolve(__dirname, '../../../..');

export interface TwoInstances {
  db: TestDatabase;
  front: RoundRobinFront;
  /** The auth-server's public base URL (through the front), also its issuer. */
  authServer: string;
  /** ms-system's public base URL (through the front). */
  msSystem: string;
  /** The ports of the two auth-servers and the two ms-systems, for asserting where requests went. */
  ports: { authServer: [number, number]; msSystem: [number, number] };
  /** Runs the admin CLI (`npm run clients -- …`, the built cli.js) on the shared database. */
  cli(...args: string[]): Promise<string>;
  close(): Promise<void>;
}

/**
 * Two auth-servers and two ms-systems on one database, behind one round-robin front on loopback:
 * every public URL (issuer, JWKS, introspection, feed) is the front's, as in a deployment with
 * replicas behind a load balancer.
 */
export async function startTwoInstances(
  authServerEnv: Record<string, string> = {},
  msSystemEnv: Record<string, string> = {},
): Promise<TwoInstances> {
  const db = await createTestDatabase('e2e');
  const ports = {
    authServer: [await freePort(), await freePort()] as [number, number],
    msSystem: [await freePort(), await freePort()] as [number, number],
  };
  const front = await startRoundRobinFront({ '/ms-auth-server': ports.authServer, '/ms-system': ports.msSystem });
  const authServer = `${front.origin}/ms-auth-server`;
  const wiring = { DATABASE_URL: db.url, ISSUER: authServer, AUTH_SERVER_URL: authServer, LOG_LEVEL: 'warn' };
  const apps: RunningApp[] = [];
  const start = async (name: 'auth-server' | 'ms-system', port: number, basePath: string, env: Record<string, string>) => {
    apps.push(await startBuiltApp({ name, port, basePath, env: { ...wiring, ...env }, workspaceRoot: WORKSPACE }));
  };
  try {
    // One after the other: the first migrates and seeds, the second finds it done.
    await start('auth-server', ports.authServer[0], '/ms-auth-server', authServerEnv);
    await start('auth-server', ports.authServer[1], '/ms-auth-server', authServerEnv);
    await Promise.all(ports.msSystem.map((port) => start('ms-system', port, '/ms-system', msSystemEnv)));
  } catch (error) {
    await Promise.all(apps.map((app) => app.stop()));
    await front.close();
    await db.drop();
    throw error;
  }
  return {
    db,
    front,
    authServer,
    msSystem: `${front.origin}/ms-system`,
    ports,
    cli: async (...args) => {
      const { stdout } = await promisify(execFile)(process.execPath, ['dist/apps/auth-server/cli.js', ...args], {
        cwd: WORKSPACE,
        env: { ...process.env, ...wiring, ...authServerEnv },
        timeout: 60_000,
      });
      return stdout;
    },
    close: async () => {
      await Promise.all(apps.map((app) => app.stop()));
      await front.close();
      await db.drop();
    },
  };
}
