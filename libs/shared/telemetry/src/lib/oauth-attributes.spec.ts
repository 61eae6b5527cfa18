import { oauthAttributes } from './oauth-attributes';

describe('oauth.* span attributes', () => {
  it('maps the OAuth facts to one prefix, joining scopes with spaces (RFC 6749 §3.3)', () => {
    expect(
      oauthAttributes({
        grantType: 'client_credentials',
        clientId: 'service-client-jwt',
        authMethod: 'client_secret_basic',
        scopes: ['country.read', 'customer.read'],
        tokenFormat: 'jwt',
        cache: 'miss',
        kid: 'k1',
        validationMode: 'jwt',
      }),
    ).toEqual({
      'oauth.grant_type': 'client_credentials',
      'oauth.client_id': 'service-client-jwt',
      'oauth.client_auth_method': 'client_secret_basic',
      'oauth.scope': 'country.read customer.read',
      'oauth.token_format': 'jwt',
      'oauth.cache': 'miss',
      'oauth.jwt.kid': 'k1',
      'oauth.validation_mode': 'jwt',
    });
  });

  it('leaves out what is not known, ignores fields it does not define, and bounds every value', () => {
    const attributes = oauthAttributes({ clientId: 'x'.repeat(5000), secret: 'never' } as never);
    expect(Object.keys(attributes)).toEqual(['oauth.client_id']);
    expect(attributes['oauth.client_id']).toHaveLength(200);
  });
});
