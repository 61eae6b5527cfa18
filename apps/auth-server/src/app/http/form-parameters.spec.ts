import { InvalidRequestError } from '@playground/oauth-contracts';
import { parseFormParameters, requireParam } from './form-parameters';

const FORM = 'application/x-www-form-urlencoded';

describe('form step: parseFormParameters (RFC 6749 §3.2, §4.4.2)', () => {
  it('returns one string per parameter', () => {
    expect(parseFormParameters(FORM, { grant_type: 'client_credentials', scope: 'a b' })).toEqual({
      grant_type: 'client_credentials',
      scope: 'a b',
    });
  });

  it.each([`${FORM};charset=UTF-8`, `${FORM}; charset=utf-8`, 'Application/X-WWW-Form-Urlencoded'])(
    'accepts the content type %s',
    (type) => {
      expect(parseFormParameters(type, { a: '1' })).toEqual({ a: '1' });
    },
  );

  it.each([undefined, '', 'application/json', 'text/plain', 'multipart/form-data; boundary=x', `${FORM}x`])(
    'refuses the content type %p with invalid_request',
    (type) => {
      expect(() => parseFormParameters(type, Buffer.from('x'))).toThrow(
        new InvalidRequestError('the request body must be application/x-www-form-urlencoded'),
      );
    },
  );

  it('refuses a repeated parameter, naming it', () => {
    expect(() => parseFormParameters(FORM, { scope: ['a', 'b'] })).toThrow(new InvalidRequestError("parameter 'scope' is repeated"));
  });

  it('refuses a repeated unrecognized parameter too, with a harmless, short name', () => {
    expect(() => parseFormParameters(FORM, { '<script>': ['a', 'b'] })).toThrow("parameter '?script?' is repeated");
  });

  it('treats an empty form as no parameters', () => {
    expect(parseFormParameters(FORM, undefined)).toEqual({});
  });

  it('does not let __proto__ reach Object.prototype', () => {
    const params = parseFormParameters(FORM, JSON.parse('{"__proto__":"x","a":"1"}'));
    expect(params['a']).toBe('1');
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });

  it('requireParam refuses a missing or empty parameter', () => {
    expect(() => requireParam({}, 'token')).toThrow(new InvalidRequestError("missing parameter 'token'"));
    expect(() => requireParam({ token: '' }, 'token')).toThrow("missing parameter 'token'");
    expect(requireParam({ token: 't' }, 'token')).toBe('t');
  });
});
