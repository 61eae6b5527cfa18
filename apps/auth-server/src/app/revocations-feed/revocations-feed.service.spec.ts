import { AccessDeniedError, InvalidRequestError } from '@playground/oauth-contracts';
import type { ClientAuthenticator } from '../client-auth/client-authenticator.service';
import { aClient } from '../testing/fixtures';
import type { TokenRepository } from '../tokens/token.repository.port';
import { RevocationsFeedService } from './revocations-feed.service';

describe('JWT revocation feed cursor (docs/adr/0002)', () => {
  let caller = aClient({ clientId: 'service-client-jwt', mayIntrospect: true });
  const authenticator = {
    withClient: jest.fn((_request: unknown, _endpoint: unknown, steps: (client: typeof caller) => Promise<unknown>) => steps(caller)),
  };
  const rows = [
    { id: '7', jti: 'a', exp: 2000 },
    { id: '9', jti: 'b', exp: 3000 },
  ];
  const repository = {
    revocationsAfter: jest.fn(async (after: bigint | undefined) => rows.filter((r) => after === undefined || BigInt(r.id) > after)),
    lastRevocationId: jest.fn(async () => '12'),
  };
  const service = new RevocationsFeedService(authenticator as unknown as ClientAuthenticator, repository as unknown as TokenRepository);

  beforeEach(() => {
    caller = aClient({ clientId: 'service-client-jwt', mayIntrospect: true });
  });

  it('lists revocations after the cursor and moves the cursor to the last one', async () => {
    await expect(service.feed({}, '7')).resolves.toEqual({ revocations: [{ jti: 'b', exp: 3000 }], cursor: '9' });
  });

  it('echoes the cursor when nothing is new', async () => {
    await expect(service.feed({}, '9')).resolves.toEqual({ revocations: [], cursor: '9' });
  });

  it('without a cursor: unexpired revocations, and the newest id as the cursor (skipping expired ones)', async () => {
    await expect(service.feed({}, undefined)).resolves.toEqual({
      revocations: [
        { jti: 'a', exp: 2000 },
        { jti: 'b', exp: 3000 },
      ],
      cursor: '12',
    });
  });

  it('accepts Basic only, like a GET must', async () => {
    await service.feed({}, undefined);
    expect(authenticator.withClient).toHaveBeenLastCalledWith(
      { headers: {}, params: {} },
      expect.objectContaining({ methods: ['client_secret_basic'] }),
      expect.any(Function),
    );
  });

  it('refuses callers that may not introspect with 403', async () => {
    caller = aClient({ mayIntrospect: false });
    await expect(service.feed({}, undefined)).rejects.toThrow(AccessDeniedError);
  });

  it.each([['abc'], ['-1'], [['1', '2']], ['99999999999999999999']])('refuses the cursor %p with invalid_request', async (after) => {
    await expect(service.feed({}, after)).rejects.toThrow(InvalidRequestError);
  });
});
