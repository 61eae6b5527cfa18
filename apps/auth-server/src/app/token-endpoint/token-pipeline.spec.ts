import { UnsupportedGrantTypeError } from '@playground/oauth-contracts';
import { aClient } from '../testing/fixtures';
import type { GrantContext } from './grants/grant';
import type { GrantRegistry } from './grants/grant-registry';
import { TokenPipeline } from './token-pipeline';

describe('token endpoint own steps: grant lookup → grant handler (after form and client authentication)', () => {
  const client = aClient();
  const response = { access_token: 't', token_type: 'Bearer' as const, expires_in: 1, scope: 's' };
  const handler = { grantType: 'client_credentials', parameters: ['scope'], handle: jest.fn(async (_context: GrantContext) => response) };
  const grants = { lookup: jest.fn(() => handler) };
  const pipeline = new TokenPipeline(grants as unknown as GrantRegistry);

  beforeEach(() => jest.clearAllMocks());

  it('looks the grant up for the client and returns its response', async () => {
    const params = { grant_type: 'client_credentials', scope: 'a' };
    await expect(pipeline.run(client, params)).resolves.toBe(response);
    expect(grants.lookup).toHaveBeenCalledWith(params, client);
    expect(handler.handle).toHaveBeenCalledWith({ client, params: { scope: 'a' } });
  });

  it('hands the grant only the parameters it declares (RFC 6749 §3.2: others are ignored)', async () => {
    await pipeline.run(client, { grant_type: 'client_credentials', client_secret: 's', audience: 'x' });
    expect({ ...handler.handle.mock.calls[0][0].params }).toEqual({});
  });

  it('stops at the grant lookup: no handler runs for an unsupported grant', async () => {
    grants.lookup.mockImplementationOnce(() => {
      throw new UnsupportedGrantTypeError('the grant type is not supported by this server');
    });
    await expect(pipeline.run(client, { grant_type: 'password' })).rejects.toThrow(UnsupportedGrantTypeError);
    expect(handler.handle).not.toHaveBeenCalled();
  });
});
