import { InvalidClientError, InvalidRequestError } from '@playground/oauth-contracts';
import type { ClientAuthenticator } from '../client-auth/client-authenticator.service';
import { aClient } from '../testing/fixtures';
import type { GrantRegistry } from './grants/grant-registry';
import { TokenPipeline } from './token-pipeline';

describe('token endpoint pipeline: form → client authentication → grant lookup → grant handler', () => {
  const client = aClient();
  const response = { access_token: 't', token_type: 'Bearer' as const, expires_in: 1, scope: 's' };
  const handler = { grantType: 'client_credentials', handle: jest.fn(async () => response) };
  const authenticator = { authenticate: jest.fn(async () => client) };
  const grants = { lookup: jest.fn(() => handler) };
  const pipeline = new TokenPipeline(authenticator as unknown as ClientAuthenticator, grants as unknown as GrantRegistry);
  const form = { 'content-type': 'application/x-www-form-urlencoded' };

  beforeEach(() => jest.clearAllMocks());

  it('runs the steps in order and returns the grant response', async () => {
    const body = { grant_type: 'client_credentials', scope: 'a' };
    await expect(pipeline.run({ headers: form, body })).resolves.toBe(response);
    expect(authenticator.authenticate).toHaveBeenCalledWith({ headers: form, params: body }, undefined, true);
    expect(grants.lookup).toHaveBeenCalledWith(body, client);
    expect(handler.handle).toHaveBeenCalledWith({ client, params: body });
  });

  it('stops at the form step: no client lookup for a JSON body', async () => {
    await expect(pipeline.run({ headers: { 'content-type': 'application/json' }, body: {} })).rejects.toThrow(InvalidRequestError);
    expect(authenticator.authenticate).not.toHaveBeenCalled();
  });

  it('stops at the form step on a repeated parameter', async () => {
    await expect(pipeline.run({ headers: form, body: { scope: ['a', 'b'] } })).rejects.toThrow('parameter "scope" is repeated');
    expect(authenticator.authenticate).not.toHaveBeenCalled();
  });

  it('stops at client authentication: no grant runs for an unauthenticated client', async () => {
    authenticator.authenticate.mockRejectedValueOnce(new InvalidClientError());
    await expect(pipeline.run({ headers: form, body: { grant_type: 'client_credentials' } })).rejects.toThrow(InvalidClientError);
    expect(grants.lookup).not.toHaveBeenCalled();
    expect(handler.handle).not.toHaveBeenCalled();
  });
});
