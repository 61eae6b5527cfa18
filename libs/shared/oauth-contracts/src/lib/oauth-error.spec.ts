import { InvalidClientError, InvalidRequestError, OAuthError, ServerError, UnsupportedTokenTypeError } from './oauth-error';
import { isScopeToken, parseScope } from './wire';

describe('OAuthError: RFC 6749 §5.2 error bodies', () => {
  it('serialises to exactly {error, error_description}, never the logged reason', () => {
    const error = new InvalidRequestError("parameter 'scope' is repeated", { reason: 'raw body had scope twice' });
    expect(error).toBeInstanceOf(OAuthError);
    expect(error.status).toBe(400);
    expect(JSON.parse(JSON.stringify(error))).toEqual({ error: 'invalid_request', error_description: "parameter 'scope' is repeated" });
  });

  it('invalid_client is 401 with a generic description whatever the reason', () => {
    const error = new InvalidClientError({ reason: 'unknown client_id "x"', basicChallenge: true });
    expect([error.status, error.toJSON()]).toEqual([401, { error: 'invalid_client', error_description: 'client authentication failed' }]);
    expect(error.basicChallenge).toBe(true);
  });

  it('server_error has a fixed description (nothing internal leaks)', () => {
    const error = new ServerError({ cause: new Error('connection refused 10.0.0.7:5432') });
    expect(error.toJSON()).toEqual({ error: 'server_error', error_description: 'the server encountered an unexpected condition' });
  });

  it('RFC 7009 unsupported_token_type is a 400', () => {
    expect(new UnsupportedTokenTypeError('x').status).toBe(400);
  });
});

describe('parseScope (RFC 6749 §3.3: space-delimited)', () => {
  it.each([
    ['country.read customer.read', ['country.read', 'customer.read']],
    ['  country.read   customer.read ', ['country.read', 'customer.read']],
    ['', []],
    [undefined, []],
    [null, []],
  ])('%p → %p', (input, expected) => {
    expect(parseScope(input)).toEqual(expected);
  });
});

describe('isScopeToken (RFC 6749 §3.3 scope-token)', () => {
  it.each([
    ['country.read', true],
    ['urn:x:y', true],
    ['a b', false],
    ['"quoted"', false],
    ['back\\slash', false],
    ['', false],
    ['é', false],
  ])('%p → %p', (scope, expected) => {
    expect(isScopeToken(scope)).toBe(expected);
  });
});
