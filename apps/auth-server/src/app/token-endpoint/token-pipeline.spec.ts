import { InvalidDpopProofError, InvalidTargetError, UnsupportedGrantTypeError } from '@playground/oauth-contracts';
import { aClient } from '../testing/fixtures';
import type { DpopProofStep } from './dpop-proof.step';
import type { GrantContext } from './grants/grant';
import type { GrantRegistry } from './grants/grant-registry';
import type { ResourceIndicators } from './resource-indicators';
import { TokenPipeline } from './token-pipeline';

describe('token endpoint own steps: DPoP proof → (client authentication) → grant lookup → resource → grant handler', () => {
  const client = aClient();
  const response = { access_token: 't', token_type: 'Bearer' as const, expires_in: 1, scope: 's' };
  const handler = { grantType: 'client_credentials', parameters: ['scope'], handle: jest.fn(async (_context: GrantContext) => response) };
  const grants = { lookup: jest.fn(() => handler) };
  const dpop = { thumbprint: jest.fn(async (): Promise<string | undefined> => undefined) };
  const resources = { audience: jest.fn(async (_client: unknown, requested: string[]) => (requested.length ? requested : undefined)) };
  const pipeline = new TokenPipeline(
    grants as unknown as GrantRegistry,
    dpop as unknown as DpopProofStep,
    resources as unknown as ResourceIndicators,
  );
  const requestUrl = 'http://127.0.0.1/ms-auth-server/oauth2/token';
  const form = { 'content-type': 'application/x-www-form-urlencoded' };

  beforeEach(() => jest.clearAllMocks());

  it('looks the grant up for the client and returns its response', async () => {
    const params = { grant_type: 'client_credentials', scope: 'a' };
    await expect(pipeline.run(client, params)).resolves.toBe(response);
    expect(grants.lookup).toHaveBeenCalledWith(params, client);
    expect(handler.handle).toHaveBeenCalledWith({ client, params: { scope: 'a' }, audience: undefined, jkt: undefined });
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

  it('RFC 8707 §2: `resource` may repeat (the one exception); every value reaches the audience step', async () => {
    const extras = await pipeline.prepare({
      headers: form,
      body: { grant_type: 'client_credentials', resource: ['urn:a', 'urn:b'] },
      requestUrl,
    });
    expect(extras).toEqual({ resources: ['urn:a', 'urn:b'], jkt: undefined });
    await pipeline.run(client, { grant_type: 'client_credentials' }, extras);
    expect(resources.audience).toHaveBeenCalledWith(client, ['urn:a', 'urn:b']);
    expect(handler.handle).toHaveBeenCalledWith({ client, params: {}, audience: ['urn:a', 'urn:b'], jkt: undefined });
  });

  it('RFC 8707 §2: a refused resource → invalid_target, no token', async () => {
    resources.audience.mockRejectedValueOnce(new InvalidTargetError('nope'));
    await expect(pipeline.run(client, { grant_type: 'client_credentials' }, { resources: ['urn:x'] })).rejects.toThrow(InvalidTargetError);
    expect(handler.handle).not.toHaveBeenCalled();
  });

  it('RFC 9449 §5: a valid proof binds the token to its key thumbprint', async () => {
    dpop.thumbprint.mockResolvedValueOnce('thumb');
    const extras = await pipeline.prepare({ headers: { ...form, dpop: 'proof' }, body: {}, requestUrl });
    await pipeline.run(client, { grant_type: 'client_credentials' }, extras);
    expect(handler.handle).toHaveBeenCalledWith(expect.objectContaining({ jkt: 'thumb' }));
  });

  it('RFC 9449 §5: a bad proof stops the request at prepare (before client authentication)', async () => {
    dpop.thumbprint.mockRejectedValueOnce(new InvalidDpopProofError('bad'));
    await expect(pipeline.prepare({ headers: { ...form, dpop: 'bad' }, body: {}, requestUrl })).rejects.toThrow(InvalidDpopProofError);
  });

  it('a client registered with --require-dpop gets invalid_request without a proof', async () => {
    await expect(pipeline.run(aClient({ requireDpop: true }), { grant_type: 'client_credentials' })).rejects.toThrow(
      'this client must send a DPoP proof',
    );
    expect(handler.handle).not.toHaveBeenCalled();
  });
});
