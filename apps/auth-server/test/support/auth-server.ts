import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestDatabase, type TestDatabase } from '@playground/database/testing';
import { createAuthServerApp } from '../../src/app/bootstrap';
import type { RegisteredClient } from '../../src/app/clients/client';
import { ClientAdminService, type CreateClientInput } from '../../src/app/clients/client-admin.service';

export interface TestAuthServer {
  app: NestFastifyApplication;
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  /** e.g. http://127.0.0.1:41234/ms-auth-server */
  baseUrl: string;
  close(): Promise<void>;
}

export interface StartOptions {
  /** A fixed port, when the issuer must name it (discovery); 0 otherwise. */
  port?: number;
  env?: Record<string, string>;
}

/**
 * The real AppModule, in-process, through the same createApp as main.ts, on a real loopback
 * port against a real Postgres database, called over HTTP with fetch.
 */
export async function startAuthServer(db: TestDatabase, options: StartOptions = {}): Promise<TestAuthServer> {
  const port = options.port ?? 0;
  const env: Record<string, string> = {
    DATABASE_URL: db.url,
    NODE_ENV: 'test',
    ...(port ? { ISSUER: `http://127.0.0.1:${port}/ms-auth-server` } : {}),
    ...options.env,
  };
  const previous = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    const app = await createAuthServerApp();
    try {
      await app.listen(port, '127.0.0.1');
    } catch (error) {
      await app.close().catch(() => undefined);
      throw error;
    }
    const { port: actual } = app.getHttpServer().address() as AddressInfo;
    const origin = `http://127.0.0.1:${actual}`;
    return { app, origin, baseUrl: `${origin}/ms-auth-server`, close: () => app.close() };
  } finally {
    for (const [k, v] of Object.entries(previous)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

export { createTestDatabase, type TestDatabase };

export const FORM = 'application/x-www-form-urlencoded';

export function form(params: Record<string, string> | Array<[string, string]>): string {
  return new URLSearchParams(params).toString();
}

/** RFC 6749 §2.3.1: form-urlencode id and secret, then Basic-encode. */
export function basic(clientId: string, secret: string): string {
  const encode = (v: string) => encodeURIComponent(v).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString('base64')}`;
}

export const SEEDED = {
  opaque: { id: 'user-client-opaque', secret: 'user-client-secret' },
  jwt: { id: 'service-client-jwt', secret: 'service-client-jwt-secret' },
  archival: { id: 'archival-service', secret: 'archival-service-secret' },
} as const;

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON, or undefined for an empty/non-JSON body. */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function call(url: string, init: RequestInit = {}): Promise<Reply> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body };
}

export function postForm(url: string, params: Record<string, string> | Array<[string, string]>, headers: Record<string, string> = {}) {
  return call(url, { method: 'POST', headers: { 'content-type': FORM, ...headers }, body: form(params) });
}

/** A token for a seeded client, by client_secret_post. */
export async function tokenFor(baseUrl: string, client: { id: string; secret: string }, scope?: string): Promise<string> {
  const reply = await postForm(`${baseUrl}/oauth2/token`, {
    grant_type: 'client_credentials',
    client_id: client.id,
    client_secret: client.secret,
    ...(scope ? { scope } : {}),
  });
  if (reply.status !== 200) throw new Error(`token request failed: ${reply.status} ${reply.text}`);
  return reply.body.access_token;
}

/** Direct SQL against the auth-server's schema, for assertions only. */
export async function sql<T = Record<string, unknown>>(db: TestDatabase, text: string, params: unknown[] = []): Promise<T[]> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: db.url, options: '-c search_path=auth_server' });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Registers a client that has a secret (any secret method) through the admin service; returns it. */
export async function createSecretClient(
  server: TestAuthServer,
  input: CreateClientInput,
): Promise<{ client: RegisteredClient; secret: string }> {
  const { client, secret } = await server.app.get(ClientAdminService).create(input);
  if (secret === undefined) throw new Error(`client ${input.clientId} got no secret`);
  return { client, secret };
}

/** The auth-server a describe block runs against; both are set by the block's first beforeAll. */
export interface AuthServerUnderTest {
  db: TestDatabase;
  server: TestAuthServer;
}

/**
 * One auth-server on its own fresh database for a describe block: created in beforeAll, closed and
 * dropped in afterAll (the auth-server's counterpart of playground-e2e's `usePlayground()`).
 * `options` may be a function when they must be computed first (e.g. a free port for the issuer).
 * Read `db` and `server` inside hooks and tests, not at the top of the block.
 */
export function useAuthServer(database: string, options: StartOptions | (() => Promise<StartOptions>) = {}): AuthServerUnderTest {
  const under = {} as AuthServerUnderTest;
  beforeAll(async () => {
    under.db = await createTestDatabase(database);
    under.server = await startAuthServer(under.db, typeof options === 'function' ? await options() : options);
  });
  afterAll(async () => {
    await under.server?.close();
    await under.db?.drop();
  });
  return under;
}
