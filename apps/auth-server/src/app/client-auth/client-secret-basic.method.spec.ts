import { InvalidClientError } from '@playground/oauth-contracts';
import type { SecretHasher } from './secret-hasher';
import type { SecretVerificationCache } from './secret-verification-cache';
import { ClientSecretBasicMethod, formUrlDecode } from './client-secret-basic.method';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const request = (authorization?: string) => ({
  headers: { authorization },
  params: {},
  issuer: 'https://as.example',
  endpointUrl: 'https://as.example/oauth2/token',
});

describe('client_secret_basic (RFC 6749 §2.3.1)', () => {
  const method = new ClientSecretBasicMethod({} as SecretHasher, {} as SecretVerificationCache);

  it('reads id and secret from the Basic header', () => {
    expect(method.present(request(`Basic ${b64('user-client-opaque:user-client-secret')}`))).toEqual({
      method: 'client_secret_basic',
      clientId: 'user-client-opaque',
      credential: 'user-client-secret',
    });
  });

  it('form-urldecodes both parts: %3A is a colon inside the secret, + is a space, %25 a percent sign', () => {
    expect(method.present(request(`Basic ${b64('my%2Did:p%3Ass+word%25')}`))).toMatchObject({
      clientId: 'my-id',
      credential: 'p:ss word%',
    });
  });

  it('splits at the first colon only', () => {
    expect(method.present(request(`Basic ${b64('id:a:b')}`))).toMatchObject({ clientId: 'id', credential: 'a:b' });
  });

  it('accepts the scheme in any case', () => {
    expect(method.present(request(`BASIC ${b64('id:s')}`))).toMatchObject({ clientId: 'id' });
  });

  it('is not used when there is no Authorization header or another scheme', () => {
    expect(method.present(request())).toBeUndefined();
    expect(method.present(request('Bearer abc'))).toBeUndefined();
  });

  it.each([
    ['not base64', 'Basic %%%'],
    ['no colon', `Basic ${b64('just-an-id')}`],
    ['an empty id', `Basic ${b64(':secret')}`],
    ['a bad percent escape', `Basic ${b64('id:%zz')}`],
  ])('fails as invalid_client with a Basic challenge on %s', (_what, header) => {
    let error: unknown;
    try {
      method.present(request(header));
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
