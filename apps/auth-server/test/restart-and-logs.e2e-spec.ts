import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import { ClientAdminService } from '../src/app/clients/client-admin.service';
import {
  basic,
  call,
  createSecretClient,
  createTestDatabase,
  postForm,
  SEEDED,
  sql,
  startAuthServer,
  tokenFor,
  type TestAuthServer,
  type TestDatabase,
} from './support/auth-server';

describe('a restart keeps clients, tokens and keys', () => {
  let db: TestDatabase;
  let server: TestAuthServer | undefined;

  beforeAll(async () => {
    db = await createTestDatabase('auth_restart');
  });

  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it('introspects tokens issued before the restart as active, keeps the signing key and created clients, seeds nothing twice', async () => {
    server = await startAuthServer(db);
    const opaque = await tokenFor(server.baseUrl, SEEDED.opaque);
    const jwt = await tokenFor(server.baseUrl, SEEDED.jwt);
    const { secret } = await createSecretClient(server, { clientId: 'survivor', scopes: ['country.read'] });
    const kidsBefore = (await call(`${server.baseUrl}/oauth2/jwks`)).body.keys.map((k: { kid: string }) => k.kid);
    await server.close();
    server = undefined;

    const restarted = await startAuthServer(db);
    server = restarted;
    const introspect = (token: string) =>
      postForm(`${restarted.baseUrl}/oauth2/introspect`, { token }, { authorization: basic(SEEDED.jwt.id, SEEDED.jwt.secret) });
    expect((await introspect(opaque)).body).toMatchObject({ active: true, client_id: 'user-client-opaque' });
    expect((await introspect(jwt)).body).toMatchObject({ active: true, client_id: 'service-client-jwt' });
    const kidsAfter = (await call(`${server.baseUrl}/oauth2/jwks`)).body.keys.map((k: { kid: string }) => k.kid);
    expect(kidsAfter).toEqual(kidsBefore);
    const rs256 = (await call(`${server.baseUrl}/oauth2/jwks`)).body.keys.find((k: { alg: string }) => k.alg === 'RS256');
    expect(decodeProtectedHeader(await tokenFor(server.baseUrl, SEEDED.jwt)).kid).toBe(rs256.kid);
    expect(
      (await postForm(`${server.baseUrl}/oauth2/token`, { grant_type: 'client_credentials', client_id: 'survivor', client_secret: secret }))
        .status,
    ).toBe(200);
    const clients = await sql<{ client_id: string }>(db, 'SELECT client_id FROM clients ORDER BY client_id');
    expect(clients.map((c) => c.client_id)).toEqual([
      'archival-service',
      'service-client-jwt',
      'service-client-pkjwt',
      'survivor',
      'user-client-opaque',
    ]);
  });
});

describe('production mode (NODE_ENV=production)', () => {
  it('refuses to start while a seeded client still has its dev-default secret, and says why', async () => {
    const db = await createTestDatabase('auth_prod');
    try {
      await expect(
        startAuthServer(db, { env: { NODE_ENV: 'production', SIGNING_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64') } }),
      ).rejects.toThrow(
        /refusing to start in production: the seeded client\(s\) user-client-opaque, service-client-jwt, archival-service, service-client-pkjwt still accept/,
      );
    } finally {
      await db.drop();
    }
  });
  it('starts once every seeded secret is rotated and service-client-pkjwt has a key of its own', async () => {
    const db = await createTestDatabase('auth_prod_ready');
    const env = {
      NODE_ENV: 'production',
      SIGNING_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      ARCHIVAL_CLIENT_SECRET: 'a-real-archival-secret',
    };
    try {
      const setup = await startAuthServer(db, {
        env: { SIGNING_KEY_ENCRYPTION_KEY: env.SIGNING_KEY_ENCRYPTION_KEY, ARCHIVAL_CLIENT_SECRET: env.ARCHIVAL_CLIENT_SECRET },
      });
      const admin = setup.app.get(ClientAdminService);
      await admin.rotateSecret('user-client-opaque');
      await admin.rotateSecret('service-client-jwt');
      const { publicKey } = await generateKeyPair('ES256', { extractable: true });
      await admin.setKeys('service-client-pkjwt', { jwks: { keys: [await exportJWK(publicKey)] } });
      await setup.close();
      const production = await startAuthServer(db, { env });
      await production.close();
    } finally {
      await db.drop();
    }
  });
});

describe('secrets and tokens never reach the log', () => {
  let db: TestDatabase;
  let server: TestAuthServer;
  let captured = '';
  const spies: jest.SpyInstance[] = [];

  beforeAll(async () => {
    // pino writes through sonic-boom straight to fd 1 with fs.write/fs.writeSync; Nest's own
    // logger through process.stdout. Capture all of it (and still print it).
    const capture = (chunk: unknown) => {
      captured += typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
    };
    const writeSync = fs.writeSync.bind(fs);
    const write = fs.write.bind(fs);
    spies.push(
      jest.spyOn(fs, 'writeSync').mockImplementation(((fd: number, data: unknown, ...rest: unknown[]) => {
        if (fd === 1 || fd === 2) capture(data);
        return (writeSync as (...a: unknown[]) => number)(fd, data, ...rest);
      }) as typeof fs.writeSync),
      jest.spyOn(fs, 'write').mockImplementation(((fd: number, data: unknown, ...rest: unknown[]) => {
        if (fd === 1 || fd === 2) capture(data);
        return (write as (...a: unknown[]) => void)(fd, data, ...rest);
      }) as typeof fs.write),
      jest.spyOn(process.stdout, 'write').mockImplementation(((data: unknown) => {
        capture(data);
        return true;
      }) as typeof process.stdout.write),
    );
    db = await createTestDatabase('auth_logs');
    server = await startAuthServer(db);
  });

  afterAll(async () => {
    await server?.close();
    await db?.drop();
    for (const spy of spies) spy.mockRestore();
  });

  it('logs requests and failures, but never the client secret or the issued token', async () => {
    const token = await tokenFor(server.baseUrl, SEEDED.opaque);
    const jwt = await tokenFor(server.baseUrl, SEEDED.jwt);
    const asIntrospector = { authorization: basic(SEEDED.jwt.id, SEEDED.jwt.secret) };
    await postForm(`${server.baseUrl}/oauth2/introspect`, { token }, asIntrospector);
    await postForm(`${server.baseUrl}/oauth2/introspect`, { token: jwt }, asIntrospector);
    await postForm(
      `${server.baseUrl}/oauth2/token`,
      { grant_type: 'client_credentials' },
      { authorization: basic(SEEDED.opaque.id, 'wrong-secret-value') },
    );
    await postForm(`${server.baseUrl}/oauth2/revoke`, { token }, { authorization: basic(SEEDED.jwt.id, SEEDED.jwt.secret) });
    await call(`${server.baseUrl}/oauth2/jwks?access_token=${token}`);
    await new Promise((r) => setTimeout(r, 200)); // let async log writes land

    expect(captured).toContain('/ms-auth-server/oauth2/token');
    expect(captured).toContain('invalid_client');
    for (const secret of [SEEDED.opaque.secret, SEEDED.jwt.secret, 'wrong-secret-value', token, jwt, jwt.split('.')[2]]) {
      expect(captured).not.toContain(secret);
    }
    expect(captured).not.toContain(Buffer.from(`${SEEDED.jwt.id}:${SEEDED.jwt.secret}`).toString('base64'));
  });
});
