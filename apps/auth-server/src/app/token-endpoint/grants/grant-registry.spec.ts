import { InvalidRequestError, UnauthorizedClientError, UnsupportedGrantTypeError } from '@playground/oauth-contracts';
import { aClient } from '../../testing/fixtures';
import type { GrantHandler } from './grant';
import { GrantRegistry } from './grant-registry';

describe('grant lookup step (RFC 6749 §5.2)', () => {
  const handler: GrantHandler = { grantType: 'client_credentials', parameters: ['scope'], handle: jest.fn() };
  const registry = new GrantRegistry([handler]);

  it('finds the handler of a supported grant the client is registered for', () => {
    expect(registry.lookup({ grant_type: 'client_credentials' }, aClient())).toBe(handler);
  });

  it('lists the supported grant types (for RFC 8414 metadata)', () => {
    expect(registry.supported).toEqual(['client_credentials']);
  });

  it('missing grant_type → invalid_request', () => {
    expect(() => registry.lookup({}, aClient())).toThrow(new InvalidRequestError("missing parameter 'grant_type'"));
  });

  it('unknown grant_type → unsupported_grant_type', () => {
    expect(() => registry.lookup({ grant_type: 'password' }, aClient())).toThrow(UnsupportedGrantTypeError);
  });

  it('grant not registered for the client → unauthorized_client', () => {
    expect(() => registry.lookup({ grant_type: 'client_credentials' }, aClient({ grantTypes: [] }))).toThrow(UnauthorizedClientError);
  });
});
