import { BadRequestException, NotFoundException } from '@nestjs/common';
import { InsufficientScopeError, MissingBearerTokenError } from '@playground/oauth-contracts';
import { ErrorResponseFilter } from './error-response.filter';

describe('ErrorResponseFilter: one error shape for every app', () => {
  const filter = new ErrorResponseFilter('ms-system');

  it('RFC 6750: a missing token → 401 with a bare Bearer challenge', () => {
    expect(filter.toResponse(new MissingBearerTokenError())).toEqual({
      status: 401,
      body: { error: 'invalid_request', error_description: 'missing bearer token' },
      headers: { 'www-authenticate': 'Bearer realm="ms-system"' },
    });
  });

  it('RFC 6750: insufficient scope → 403 with the scope in the challenge', () => {
    const { status, headers } = filter.toResponse(new InsufficientScopeError('country.read'));
    expect(status).toBe(403);
    expect(headers['www-authenticate']).toContain('error="insufficient_scope"');
    expect(headers['www-authenticate']).toContain('scope="country.read"');
  });

  it("Nest's HttpExceptions keep their status and message, as {error, error_description} in RFC 6749 §5.2's charset", () => {
    expect(filter.toResponse(new NotFoundException('country "ZZZ" not found'))).toEqual({
      status: 404,
      body: { error: 'not_found', error_description: "country 'ZZZ' not found" },
      headers: {},
    });
    expect(filter.toResponse(new BadRequestException(['size must be ≤ 100', 'page must be ≥ 1'])).body).toEqual({
      error: 'invalid_request',
      error_description: 'size must be <= 100; page must be >= 1',
    });
  });

  it("Fastify's unsupported media type → 415 JSON, without quoting the request's content type", () => {
    const error = Object.assign(new Error('Unsupported Media Type: text/secret-in-a-header'), { statusCode: 415 });
    expect(filter.toResponse(error)).toEqual({
      status: 415,
      body: { error: 'unsupported_media_type', error_description: 'the request content type is not supported' },
      headers: {},
    });
  });

  describe('routes: 404 for an unknown path, 405 + Allow for a known path, nothing of the request echoed', () => {
    const routes: Record<string, string[]> = { '/svc/oauth2/token': ['POST'], '/svc/jwks': ['GET', 'HEAD'] };
    const request = (method: string, url: string) => ({
      method,
      url,
      routeOptions: {},
      // Like Fastify's: a match carries its params; the CORS preflight is an `OPTIONS *` catch-all.
      server: {
        findRoute: ({ method: m, url: u }: { method: string; url: string }) =>
          m === 'OPTIONS' ? { params: { '*': u.slice(1) } } : routes[u]?.includes(m) ? { params: {} } : null,
      },
    });
    const notFound = (method: string, url: string) => new NotFoundException(`Cannot ${method} ${url}`);

    it('unknown path → 404 no such resource', () => {
      expect(filter.toResponse(notFound('GET', '/svc/x?client_secret=s3cret'), request('GET', '/svc/x?client_secret=s3cret'))).toEqual({
        status: 404,
        body: { error: 'not_found', error_description: 'no such resource' },
        headers: {},
      });
    });

    it('known path, wrong method → 405 with Allow', () => {
      const url = '/svc/oauth2/token?client_secret=s3cret';
      expect(filter.toResponse(notFound('GET', url), request('GET', url))).toEqual({
        status: 405,
        body: { error: 'method_not_allowed', error_description: 'this method is not allowed here' },
        headers: { allow: 'POST' },
      });
      expect(filter.toResponse(notFound('DELETE', '/svc/jwks'), request('DELETE', '/svc/jwks')).headers).toEqual({ allow: 'GET, HEAD' });
    });

    it("a handler's own 404 (a matched route) keeps its message", () => {
      const matched = { ...request('GET', '/svc/jwks'), routeOptions: { url: '/svc/jwks' } };
      expect(filter.toResponse(new NotFoundException('no such key'), matched).body).toEqual({
        error: 'not_found',
        error_description: 'no such key',
      });
    });
  });

  describe('PostgreSQL errors', () => {
    const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });
    // TypeORM wraps driver errors; the filter looks through driverError and cause.
    const wrapped = (driverError: Error) => Object.assign(new Error(driverError.message), { name: 'QueryFailedError', driverError });

    it.each([
      ['ECONNREFUSED', pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
      ['57P01 admin shutdown', wrapped(pgError('57P01', 'terminating connection due to administrator command'))],
      ['57P03 starting up', pgError('57P03', 'the database system is starting up')],
      ['08006 connection failure', wrapped(pgError('08006'))],
      ['a dropped socket', wrapped(new Error('Connection terminated unexpectedly'))],
      ['the pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ])('unreachable (%s) → 503 temporarily_unavailable with Retry-After', (_label, error) => {
      expect(filter.toResponse(error)).toEqual({
        status: 503,
        body: { error: 'temporarily_unavailable', error_description: 'the service is temporarily unavailable, retry later' },
        headers: { 'cache-control': 'no-store', pragma: 'no-cache', 'retry-after': '2' },
      });
    });

    it.each([
      ['22021 NUL byte', wrapped(pgError('22021', 'invalid byte sequence for encoding "UTF8": 0x00'))],
      ['22P02 invalid text representation', pgError('22P02')],
      ['22001 string too long', wrapped(pgError('22001'))],
      ['54000 index row too large', wrapped(pgError('54000'))],
    ])('a value PostgreSQL cannot take (%s) → 400 invalid_request, the database message only in the log', (_label, error) => {
      const response = filter.toResponse(error);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error: 'invalid_request', error_description: 'a parameter has a value this server cannot process' });
    });

    it('any other database error stays a 500 server_error', () => {
      expect(filter.toResponse(wrapped(pgError('42P01', 'relation "clients" does not exist'))).status).toBe(500);
    });
  });

  it('a 5xx-ish or unknown error never shows its message or stack', () => {
    const response = filter.toResponse(Object.assign(new Error('password authentication failed for user "postgres"'), { statusCode: 503 }));
    expect(response).toEqual({
      status: 500,
      body: { error: 'server_error', error_description: 'the server encountered an unexpected condition' },
      headers: {},
    });
  });
});
