import {
  basic,
  call,
  createTestDatabase,
  postForm,
  SEEDED,
  startAuthServer,
  type TestAuthServer,
  type TestDatabase,
} from './support/auth-server';
import { startTcpCut, type TcpCut } from './support/tcp-cut';

/**
 * docs/contract.md, "Errors": PostgreSQL unreachable → 503
 * `temporarily_unavailable` with Retry-After at every endpoint that needs it, never a 500; back
 * within 2 s of PostgreSQL. The database is cut by a TCP proxy on loopback (the fault suite,
 * `npm run test:faults`, stops a real server instead).
 */
describe('PostgreSQL outage', () => {
  let db: TestDatabase;
  let proxy: TcpCut;
  let server: TestAuthServer;

  beforeAll(async () => {
    db = await createTestDatabase('auth_outage');
    const target = new URL(db.url);
    proxy = await startTcpCut(target.hostname, Number(target.port));
    const viaProxy = new URL(db.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    server = await startAuthServer(db, { env: { DATABASE_URL: viaProxy.toString() } });
  });

  afterAll(async () => {
    await server?.close();
    await proxy?.close();
    await db?.drop();
  });

  const token = (client: { id: string; secret: string } = SEEDED.jwt) =>
    postForm(`${server.baseUrl}/oauth2/token`, { grant_type: 'client_credentials' }, { authorization: basic(client.id, client.secret) });

  it('answers 503 temporarily_unavailable with Retry-After while it is down, and 200 again within 2 s of its return', async () => {
    expect((await token()).status).toBe(200); // verified and cached: the cut hits the token insert
    const accessToken = (await token(SEEDED.opaque)).body.access_token;
    await proxy.cut();

    const during = [
      await token(), // cached client: fails at the insert
      await token(SEEDED.archival), // never verified: fails at the client read
      await postForm(`${server.baseUrl}/oauth2/introspect`, {
        token: accessToken,
        client_id: SEEDED.jwt.id,
        client_secret: SEEDED.jwt.secret,
      }),
      await postForm(`${server.baseUrl}/oauth2/revoke`, {
        token: accessToken,
        client_id: SEEDED.opaque.id,
        client_secret: SEEDED.opaque.secret,
      }),
      await call(`${server.baseUrl}/.well-known/oauth-authorization-server`),
      await call(`${server.baseUrl}/oauth2/jwks`),
    ];
    for (const reply of during) {
      expect({ status: reply.status, body: reply.body }).toEqual({
        status: 503,
        body: { error: 'temporarily_unavailable', error_description: expect.any(String) },
      });
      expect(Number(reply.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect((await call(`${server.baseUrl}/health`)).status).toBe(503);

    await proxy.restore();
    const back = Date.now();
    let status = 0;
    while (Date.now() - back < 5000 && status !== 200) {
      status = (await token()).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe(200);
    expect(Date.now() - back).toBeLessThan(2000);
    expect((await call(`${server.baseUrl}/health`)).status).toBe(200);
  });
});
