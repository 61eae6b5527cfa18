import { InvalidScopeError } from '@playground/oauth-contracts';
import type { TokenService } from '../../tokens/token.service';
import { aClient } from '../../testing/fixtures';
import { ClientCredentialsGrant } from './client-credentials.grant';

describe('client_credentials grant handler (RFC 6749 §4.4, scope §3.3)', () => {
  const tokens = {
    issue: jest.fn(async (_client, scopes: string[]) => ({ accessToken: 'tok', expiresIn: 14400, scope: scopes.join(' ') })),
  };
  const grant = new ClientCredentialsGrant(tokens as unknown as TokenService);
  const client = aClient();

  beforeEach(() => tokens.issue.mockClear());

  it('issues a Bearer token response for the requested scopes', async () => {
    await expect(grant.handle({ client, params: { grant_type: 'client_credentials', scope: 'country.read' } })).resolves.toEqual({
      access_token: 'tok',
      token_type: 'Bearer',
      expires_in: 14400,
      scope: 'country.read',
    });
    expect(tokens.issue).toHaveBeenCalledWith(client, ['country.read'], { audience: undefined, jkt: undefined });
  });

  it('grants every registered scope when none is requested', async () => {
    expect((await grant.handle({ client, params: {} })).scope).toBe('country.read customer.read customer.write');
  });

  it('de-duplicates requested scopes and ignores extra spaces', () => {
    expect(grant.grantedScopes(client.scopes, '  customer.read  customer.read country.read ')).toEqual(['customer.read', 'country.read']);
  });

  it('refuses any scope not registered for the client with invalid_scope, issuing nothing', async () => {
    await expect(grant.handle({ client, params: { scope: 'country.read admin' } })).rejects.toThrow(InvalidScopeError);
    expect(tokens.issue).not.toHaveBeenCalled();
  });

  it('refuses characters RFC 6749 §3.3 does not allow in a scope', () => {
    expect(() => grant.grantedScopes(['a"b'], 'a"b')).toThrow(InvalidScopeError);
  });

  it('RFC 9449 §5: a token bound to a proof key is announced as token_type DPoP', async () => {
    const response = await grant.handle({ client, params: {}, audience: ['urn:x'], jkt: 'thumb' });
    expect(response.token_type).toBe('DPoP');
    expect(tokens.issue).toHaveBeenCalledWith(client, client.scopes, { audience: ['urn:x'], jkt: 'thumb' });
  });
});
