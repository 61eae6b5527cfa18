import { ClientSecretPostMethod } from './client-secret-post.method';

describe('client_secret_post (RFC 6749 §2.3.1)', () => {
  const method = new ClientSecretPostMethod();

  it('reads client_id and client_secret from the form', () => {
    expect(method.extract({ headers: {}, params: { client_id: 'id', client_secret: 's' } })).toEqual({
      method: 'client_secret_post',
      clientId: 'id',
      secret: 's',
    });
  });

  it('is not used when there is no client_secret (a bare client_id beside Basic is allowed)', () => {
    expect(method.extract({ headers: {}, params: { client_id: 'id' } })).toBeUndefined();
  });

  it('is used, with an empty id, when only a secret is sent (and then fails authentication)', () => {
    expect(method.extract({ headers: {}, params: { client_secret: 's' } })).toEqual({ method: 'client_secret_post', clientId: '', secret: 's' });
  });
});
