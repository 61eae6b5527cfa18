import type { SecretHasher } from './secret-hasher';
import type { SecretVerificationCache } from './secret-verification-cache';
import { ClientSecretPostMethod } from './client-secret-post.method';

const at = { issuer: 'https://as.example', endpointUrl: 'https://as.example/oauth2/token' };

describe('client_secret_post (RFC 6749 §2.3.1)', () => {
  const method = new ClientSecretPostMethod({} as SecretHasher, {} as SecretVerificationCache);

  it('reads client_id and client_secret from the form', () => {
    expect(method.present({ ...at, headers: {}, params: { client_id: 'id', client_secret: 's' } })).toEqual({
      method: 'client_secret_post',
      clientId: 'id',
      credential: 's',
    });
  });

  it('is not used when there is no client_secret (a bare client_id beside Basic is allowed)', () => {
    expect(method.present({ ...at, headers: {}, params: { client_id: 'id' } })).toBeUndefined();
  });

  it('is used, with an empty id, when only a secret is sent (and then fails authentication)', () => {
    expect(method.present({ ...at, headers: {}, params: { client_secret: 's' } })).toEqual({
      method: 'client_secret_post',
      clientId: '',
      credential: 's',
    });
  });
});
