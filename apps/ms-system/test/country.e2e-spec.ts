import { iso3166Countries } from '../src/app/countries/iso-3166';
import { startMsSystem, type MsSystemUnderTest } from './support/ms-system';

interface Page {
  items: { code: string; name: string }[];
  page: number;
  size: number;
  total: number;
}
const page = async (response: Response) => (await response.json()) as Page;

describe('ms-system countries over HTTP (real PostgreSQL)', () => {
  let ms: MsSystemUnderTest;
  let token: string;

  beforeAll(async () => {
    ms = await startMsSystem();
    token = await ms.auth.jwt({ scope: 'country.read' });
  });
  afterAll(() => ms?.close());

  const get = (path: string, bearer: string | undefined = token) =>
    fetch(`${ms.url}${path}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });

  describe('GET /country/code/:code', () => {
    it('without a token → 401 WWW-Authenticate: Bearer (seed walkthrough, step 1)', async () => {
      const response = await get('/country/code/AUS', '');
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(
        'Bearer realm="ms-system", resource_metadata="http://localhost:8091/.well-known/oauth-protected-resource/ms-system", DPoP realm="ms-system", algs="ES256 EdDSA PS256 RS256"',
      );
    });

    it('AUS → 200 exactly {"code":"AUS","name":"AUSTRALIA"}', async () => {
      const response = await get('/country/code/AUS');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.text()).toBe('{"code":"AUS","name":"AUSTRALIA"}');
    });

    it('accepts `Bearer` followed by two or more spaces (RFC 6750 §2.1 `1*SP`)', async () => {
      for (const spaces of ['  ', '   ']) {
        const response = await fetch(`${ms.url}/country/code/AUS`, { headers: { authorization: `Bearer${spaces}${token}` } });
        expect(response.status).toBe(200);
      }
    });

    it('a known path with another method → 405 with Allow; an unknown one → 404, nothing echoed', async () => {
      const post = await fetch(`${ms.url}/country/code/AUS?secret=s3cret`, { method: 'POST' });
      expect(post.status).toBe(405);
      expect(post.headers.get('allow')).toBe('GET, HEAD');
      const unknown = await fetch(`${ms.url}/countries?secret=s3cret`);
      expect(await unknown.json()).toEqual({ error: 'not_found', error_description: 'no such resource' });
    });

    it('matches the code case-insensitively', async () => {
      for (const code of ['aus', 'Aus', 'aUs']) {
        const response = await get(`/country/code/${code}`);
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ code: 'AUS', name: 'AUSTRALIA' });
      }
    });

    it('a well-formed unknown code → 404', async () => {
      const response = await get('/country/code/ZZZ');
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: 'not_found', error_description: 'no country with this code' });
    });

    it.each(['AU', 'AUSS', 'A1S', '123', '%C3%84US', "A'S", 'AU%20'])('not three letters (%s) → 400 JSON', async (code) => {
      const response = await get(`/country/code/${code}`);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: 'invalid_request',
        error_description: 'code must be three letters (ISO 3166-1 alpha-3)',
      });
    });

    it('a token without country.read → 403 insufficient_scope', async () => {
      const response = await get('/country/code/AUS', await ms.auth.jwt({ scope: 'customer.read' }));
      expect(response.status).toBe(403);
      const challenge = response.headers.get('www-authenticate') ?? '';
      expect(challenge).toMatch(/^Bearer /);
      expect(challenge).toContain('error="insufficient_scope"');
      expect(challenge).toContain('scope="country.read"');
      expect(await response.json()).toEqual({
        error: 'insufficient_scope',
        error_description: 'the access token lacks the required scope',
      });
    });

    it('an opaque token is introspected (auto mode)', async () => {
      const response = await get('/country/code/AUS', ms.auth.opaque({ scope: 'country.read' }));
      expect(response.status).toBe(200);
    });

    it('serves from memory: no query per request', async () => {
      // With the database gone from under it, the catalogue still answers.
      const dataSource = ms.app.get((await import('typeorm')).DataSource);
      const query = jest.spyOn(dataSource, 'query');
      const createQueryRunner = jest.spyOn(dataSource, 'createQueryRunner');
      for (let i = 0; i < 5; i++) expect((await get('/country/code/NZL')).status).toBe(200);
      await get('/country?page=3&size=7');
      expect(query).not.toHaveBeenCalled();
      expect(createQueryRunner).not.toHaveBeenCalled();
    });
  });

  describe('GET /country', () => {
    it('defaults to page 1, size 20', async () => {
      const response = await get('/country');
      expect(response.status).toBe(200);
      const body = await page(response);
      expect(Object.keys(body)).toEqual(['items', 'page', 'size', 'total']);
      expect(body).toMatchObject({ page: 1, size: 20, total: 249 });
      expect(body.items).toHaveLength(20);
      expect(body.items[0]).toEqual({ code: 'ABW', name: 'ARUBA' });
    });

    it('pages through all 249 countries, each exactly once, matching the ISO dataset', async () => {
      const seen: { code: string; name: string }[] = [];
      for (let n = 1; ; n++) {
        const response = await get(`/country?page=${n}&size=50`);
        expect(response.status).toBe(200);
        const body = await page(response);
        expect(body).toMatchObject({ page: n, size: 50, total: 249 });
        if (body.items.length === 0) break;
        seen.push(...body.items);
      }
      expect(seen).toHaveLength(249);
      expect(new Set(seen.map((c) => c.code)).size).toBe(249);
      expect(seen).toEqual(iso3166Countries());
      for (const country of seen) {
        expect(Object.keys(country)).toEqual(['code', 'name']);
        expect(country.code).toMatch(/^[A-Z]{3}$/);
        expect(country.name).toBe(country.name.toUpperCase());
      }
    });

    it('size 100 is allowed; the last page is short; a page past the end is empty', async () => {
      expect((await page(await get('/country?page=1&size=100'))).items).toHaveLength(100);
      expect((await page(await get('/country?page=3&size=100'))).items).toHaveLength(49);
      expect(await (await get('/country?page=4&size=100')).json()).toEqual({ items: [], page: 4, size: 100, total: 249 });
    });

    it.each([
      ['size=101', 'size must be at most 100'],
      ['size=0', 'size must be at least 1'],
      ['page=0', 'page must be at least 1'],
      ['page=-1', 'page must be a positive integer'],
      ['page=abc', 'page must be a positive integer'],
      ['size=1.5', 'size must be a positive integer'],
      ['size=', 'size must be a positive integer'],
      ['page=99999999999999999999', 'page must be a positive integer'],
      ['page=1&page=2', 'page: must be given once'],
    ])('?%s → 400 JSON', async (query, description) => {
      const response = await get(`/country?${query}`);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: 'invalid_request', error_description: description });
    });

    it('requires a token too', async () => {
      expect((await get('/country', '')).status).toBe(401);
    });
  });

  describe('the rest of the service', () => {
    it('GET /health reports the database', async () => {
      const response = await fetch(`${ms.url}/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
    });

    it('serves Swagger UI at /ms-system/docs with bearer auth declared', async () => {
      expect((await fetch(`${ms.url}/docs`)).status).toBe(200);
      const spec = (await (await fetch(`${ms.url}/docs-json`)).json()) as {
        components: { securitySchemes: Record<string, unknown> };
        paths: Record<string, unknown>;
      };
      expect(spec.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/ms-system/country/code/{code}', '/ms-system/country']));
    });

    it('declares the OAuth 2.0 client-credentials flow, token URL from the auth-server metadata, so Swagger UI "Authorize" fetches a token', async () => {
      const spec = (await (await fetch(`${ms.url}/docs-json`)).json()) as {
        components: { securitySchemes: Record<string, unknown> };
        paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
      };
      const metadata = (await (await fetch(`${ms.auth.issuer}/.well-known/oauth-authorization-server`)).json()) as {
        token_endpoint: string;
      };
      expect(spec.components.securitySchemes['oauth2']).toEqual({
        type: 'oauth2',
        description: expect.any(String),
        flows: { clientCredentials: { tokenUrl: metadata.token_endpoint, scopes: { 'country.read': expect.any(String) } } },
      });
      // Either scheme is enough (OpenAPI: alternatives in the security list).
      expect(spec.paths['/ms-system/country/code/{code}'].get.security).toEqual(
        expect.arrayContaining([{ bearer: [] }, { oauth2: ['country.read'] }]),
      );
    });

    it('unknown routes → 404 JSON', async () => {
      const response = await get('/nope');
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: 'not_found' });
    });
  });
});
