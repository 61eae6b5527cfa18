import {
  AccessDeniedError,
  InvalidClientError,
  InvalidRequestError,
  InvalidScopeError,
  UnauthorizedClientError,
  UnsupportedGrantTypeError,
} from '@playground/oauth-contracts';
import { ErrorResponseFilter } from '@playground/http-kit';
import { REALM } from '../config';

/** How the errors the auth-server throws reach the wire (the one shared filter, this app's realm). */
describe('error mapping (RFC 6749 §5.2)', () => {
  const filter = new ErrorResponseFilter(REALM);
  const noStore = { 'cache-control': 'no-store', pragma: 'no-cache' };

  it.each([
    [new InvalidRequestError("missing parameter 'grant_type'"), 400, 'invalid_request'],
    [new UnauthorizedClientError('the client is not allowed to use this grant type'), 400, 'unauthorized_client'],
    [new UnsupportedGrantTypeError('the grant type is not supported by this server'), 400, 'unsupported_grant_type'],
    [new InvalidScopeError('the requested scope is invalid, unknown, or not allowed for this client'), 400, 'invalid_scope'],
    [new AccessDeniedError('the client is not allowed to introspect tokens'), 403, 'access_denied'],
  ])('%s → %i {"error":"%s"} with no-store', (error, status, code) => {
    expect(filter.toResponse(error)).toEqual({ status, body: { error: code, error_description: error.description }, headers: noStore });
  });

  it('invalid_client after a Basic attempt → 401 with WWW-Authenticate: Basic realm, and a generic description', () => {
    const response = filter.toResponse(new InvalidClientError({ basicChallenge: true, reason: 'wrong secret (client_id "x")' }));
    expect(response).toEqual({
      status: 401,
      body: { error: 'invalid_client', error_description: 'client authentication failed' },
      headers: { ...noStore, 'www-authenticate': 'Basic realm="ms-auth-server", charset="UTF-8"' },
    });
  });

  it('invalid_client after client_secret_post → 401 without a challenge', () => {
    expect(filter.toResponse(new InvalidClientError({ reason: 'x' })).headers).toEqual(noStore);
  });

  it('never sends the logged reason', () => {
    const { body } = filter.toResponse(new InvalidScopeError('generic', { reason: 'secret detail' }));
    expect(JSON.stringify(body)).not.toContain('secret detail');
  });

  it('anything unexpected → a fixed 500 server_error, nothing internal', () => {
    expect(filter.toResponse(new TypeError('relation "clients" does not exist'))).toEqual({
      status: 500,
      body: { error: 'server_error', error_description: 'the server encountered an unexpected condition' },
      headers: {},
    });
  });

  it("Fastify's body-too-large error → 413 JSON", () => {
    const error = Object.assign(new Error('Request body is too large'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
    expect(filter.toResponse(error)).toEqual({
      status: 413,
      body: { error: 'request_too_large', error_description: 'the request body is too large' },
      headers: {},
    });
  });
});
