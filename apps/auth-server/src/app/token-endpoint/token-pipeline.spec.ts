import { UnsupportedGrantTypeError } from '@playground/oauth-contracts';
import { aClient } from '../testing/fixtures';
import type { GrantRegistry } from './grants/grant-registry';
import { TokenPipeline } from './token-pipeline';

describe('token endpoint own steps: grant lookup → grant handler (after form and client authentication)', () => {
  const client = aClient();
  const response = { access_token: 't', token_type: 'Bearer' as const, expires_in: 1, scope: 's' };
  const handler = { grantType: 'client_credentials', handle: jest.fn(async () => response) };
  const grants = { lookup: jest.fn(() => handler) };
  const pipeline = new TokenPipeline(grants as unknown as GrantRegistry);

  beforeEach(() => jest.clearAllMocks());

  it('looks the grant up for the client and returns its response', async () => {
    const params = { grant_type: 'client_credentials', scope: 'a' };
    await expect(pipeline.run(client, params)).resolves.toBe(response);
    expect(grants.lookup).toHaveBeenCalledWith(params, client);
    expect(handler.handle).toHaveBeenCalledWith({ client, params });
  });

  it('stops at the grant lookup: no handler runs for an unsupported grant', async () => {
    grants.lookup.mockImplementationOnce(() => {
      throw new UnsupportedGrantTypeError('the grant type is not supported by this server');
    });
    await expect(pipeline.run(client, { grant_type: 'password' })).rejects.toThrow(UnsupportedGrantTypeError);
    expect(handler.handle).not.toHaveBeenCalled();
  });
});
