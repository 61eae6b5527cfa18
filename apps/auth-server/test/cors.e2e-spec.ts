import { createTestDatabase, startAuthServer, type TestAuthServer, type TestDatabase } from './support/auth-server';

// ms-system's Swagger UI (another origin) fetches a token itself with "Authorize": the token
// endpoint answers CORS for the configured origins only (Fetch standard, CORS protocol).
describe('CORS for Swagger UI pages', () => {
  let db: TestDatabase;
  let server: TestAuthServer;

  beforeAll(async () => {
    db = await createTestDatabase('auth_cors');
    server = await startAuthServer(db, { env: { CORS_ALLOWED_ORIGINS: 'http://localhost:8091' } });
  });

  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  const preflight = (origin: string) =>
    fetch(`${server.baseUrl}/oauth2/token`, {
      method: 'OPTIONS',
      // What Swagger UI's "Authorize" sends (it adds X-Requested-With).
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,x-requested-with',
      },
    });

  it('allows ms-system’s Swagger UI origin to POST to the token endpoint with Basic credentials', async () => {
    const response = await preflight('http://localhost:8091');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:8091');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-requested-with');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('gives any other origin no CORS permission', async () => {
    const response = await preflight('https://evil.example');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
