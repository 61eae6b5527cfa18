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

  it("Fastify's unsupported media type → 415 JSON", () => {
    const error = Object.assign(new Error('Unsupported Media Type: text/xml'), { statusCode: 415 });
    expect(filter.toResponse(error)).toEqual({
      status: 415,
      body: { error: 'unsupported_media_type', error_description: 'Unsupported Media Type: text/xml' },
      headers: {},
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
