import { InvalidClientError, InvalidDpopProofError, InvalidRequestError, InvalidTargetError } from '@playground/oauth-contracts';
import type { ClientAuthenticator } from '../client-auth/client-authenticator.service';
import { aClient } from '../testing/fixtures';
import type { GrantRegistry } from './grants/grant-registry';
import type { DpopProofStep } from './dpop-proof.step';
import type { ResourceIndicators } from './resource-indicators';
import { TokenPipeline } from './token-pipeline';

describe('token endpoint pipeline: form → client authentication → grant lookup → grant handler', () => {
  const client = aClient();
  const response = { access_token: 't', token_type: 'Bearer' as const, expires_in: 1, scope: 's' };
  const handler = { grantType: 'client_credentials', handle: jest.fn(async () => response) };
  const authenticator = { authenticate: jest.fn(async () => client) };
  const grants = { lookup: jest.fn(() => handler) };
  const dpop = { thumbprint: jest.fn(async (): Promise<string | undefined> => undefined) };
  const resources = { audience: jest.fn(async (_client: unknown, requested: string[]) => (requested.length ? requested : undefined)) };
  const pipeline = new TokenPipeline(
    authenticator as unknown as ClientAuthenticator,
    grants as unknown as GrantRegistry,
    dpop as unknown as DpopProofStep,
    resources as unknown as ResourceIndicators,
  );
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const requestUrl = 'http://127.0.0.1/ms-auth-server/oauth2/token';

  beforeEach(() => jest.clearAllMocks());

  it('runs the steps in order and returns the grant response', async () => {
    const body = { grant_type: 'client_credentials', scope: 'a' };
    await expect(pipeline.run({ headers: form, body, requestUrl })).resolves.toBe(response);
    expect(authenticator.authenticate).toHaveBeenCalledWith({ headers: form, params: body }, undefined, true);
    expect(grants.lookup).toHaveBeenCalledWith(body, client);
    expect(handler.handle).toHaveBeenCalledWith({ client, params: body, audience: undefined, jkt: undefined });
  });

  it('stops at the form step: no client lookup for a JSON body', async () => {
    await expect(pipeline.run({ headers: { 'content-type': 'application/json' }, body: {}, requestUrl })).rejects.toThrow(InvalidRequestError);
    expect(authenticator.authenticate).not.toHaveBeenCalled();
  });

  it('stops at the form step on a repeated parameter', async () => {
    await expect(pipeline.run({ headers: form, body: { scope: ['a', 'b'] }, requestUrl })).rejects.toThrow('parameter "scope" is repeated');
    expect(authenticator.authenticate).not.toHaveBeenCalled();
  });

  it('stops at client authentication: no grant runs for an unauthenticated client', async () => {
    authenticator.authenticate.mockRejectedValueOnce(new InvalidClientError());
    await expect(pipeline.run({ headers: form, body: { grant_type: 'client_credentials' }, requestUrl })).rejects.toThrow(InvalidClientError);
    expect(grants.lookup).not.toHaveBeenCalled();
    expect(handler.handle).not.toHaveBeenCalled();
  });

  it('RFC 8707 §2: `resource` may repeat (the one exception); every value reaches the audience step', async () => {
    const body = { grant_type: 'client_credentials', resource: ['urn:a', 'urn:b'] };
    await pipeline.run({ headers: form, body, requestUrl });
    expect(resources.audience).toHaveBeenCalledWith(client, ['urn:a', 'urn:b']);
    expect(handler.handle).toHaveBeenCalledWith({ client, params: { grant_type: 'client_credentials' }, audience: ['urn:a', 'urn:b'], jkt: undefined });
  });

  it('RFC 8707 §2: a refused resource → invalid_target, no token', async () => {
    resources.audience.mockRejectedValueOnce(new InvalidTargetError('nope'));
    await expect(pipeline.run({ headers: form, body: { grant_type: 'client_credentials', resource: 'urn:x' }, requestUrl })).rejects.toThrow(InvalidTargetError);
    expect(handler.handle).not.toHaveBeenCalled();
  });

  it('RFC 9449 §5: a valid proof binds the token to its key thumbprint', async () => {
    dpop.thumbprint.mockResolvedValueOnce('thumb');
    await pipeline.run({ headers: form, body: { grant_type: 'client_credentials' }, requestUrl });
    expect(handler.handle).toHaveBeenCalledWith(expect.objectContaining({ jkt: 'thumb' }));
  });

  it('RFC 9449 §5: a bad proof stops the request before client authentication', async () => {
    dpop.thumbprint.mockRejectedValueOnce(new InvalidDpopProofError('bad'));
    await expect(pipeline.run({ headers: form, body: { grant_type: 'client_credentials' }, requestUrl })).rejects.toThrow(InvalidDpopProofError);
    expect(authenticator.authenticate).not.toHaveBeenCalled();
  });

  it('a client registered with --require-dpop gets invalid_request without a proof', async () => {
    authenticator.authenticate.mockResolvedValueOnce(aClient({ requireDpop: true }));
    await expect(pipeline.run({ headers: form, body: { grant_type: 'client_credentials' }, requestUrl })).rejects.toThrow('this client must send a DPoP proof');
    expect(handler.handle).not.toHaveBeenCalled();
  });
});
