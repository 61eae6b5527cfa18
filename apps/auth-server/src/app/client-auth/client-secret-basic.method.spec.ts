import { InvalidClientError } from '@playground/oauth-contracts';
import { ClientSecretBasicMethod, formUrlDecode } from './client-secret-basic.method';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const request = (authorization?: string) => ({ headers: { authorization }, params: {} });

describe('client_secret_basic (RFC 6749 §2.3.1)', () => {
  const method = new ClientSecretBasicMethod();

  it('reads id and secret from the Basic header', () => {
    expect(method.extract(request(`Basic ${b64('user-client-opaque:user-client-secret')}`))).toEqual({
      method: 'client_secret_basic',
      clientId: 'user-client-opaque',
      secret: 'user-client-secret',
    });
  });

  it('form-urldecodes both parts: %3A is a colon inside the secret, + is a space, %25 a percent sign', () => {
    expect(method.extract(request(`Basic ${b64('my%2Did:p%3Ass+word%25')}`))).toMatchObject({ clientId: 'my-id', secret: 'p:ss word%' });
  });

  it('splits at the first colon only', () => {
    expect(method.extract(request(`Basic ${b64('id:a:b')}`))).toMatchObject({ clientId: 'id', secret: 'a:b' });
  });

  it('accepts the scheme in any case', () => {
    expect(method.extract(request(`BASIC ${b64('id:s')}`))).toMatchObject({ clientId: 'id' });
  });

  it('is not used when there is no Authorization header or another scheme', () => {
    expect(method.extract(request())).toBeUndefined();
    expect(method.extract(request('Bearer abc'))).toBeUndefined();
  });

  it.each([
    ['not base64', 'Basic %%%'],
    ['no colon', `Basic ${b64('just-an-id')}`],
    ['an empty id', `Basic ${b64(':secret')}`],
    ['a bad percent escape', `Basic ${b64('id:%zz')}`],
  ])('fails as invalid_client with a Basic challenge on %s', (_what, header) => {
    let error: unknown;
    try {
      method.extract(request(header));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidClientError);
    expect((error as InvalidClientError).basicChallenge).toBe(true);
  });

  it('formUrlDecode decodes like application/x-www-form-urlencoded', () => {
    expect(formUrlDecode('a+b%2Bc')).toBe('a b+c');
  });
});
