import { InvalidClientError, InvalidRequestError, TemporarilyUnavailableError } from '@playground/oauth-contracts';
import type { AuditService } from '../audit/audit.service';
import type { ClientAuthMethodName, RegisteredClient } from '../clients/client';
import type { ClientRepository } from '../clients/client.repository.port';
import type { SecretHasher } from './secret-hasher';
import { SecretVerificationCache } from './secret-verification-cache';
import type { OAuthRequest } from '../http/oauth-request';
import { aClient, aConfig } from '../testing/fixtures';
import { ClientAuthenticator, type ClientAuthEndpoint } from './client-authenticator.service';
import { ClientChangedError } from './client-changed.error';
import { ClientSecretBasicMethod } from './client-secret-basic.method';
import { ClientSecretPostMethod } from './client-secret-post.method';
import { FailedAuthThrottle } from './failed-auth-throttle';

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('client authentication step (RFC 6749 §2.3, §5.2)', () => {
  let client = aClient();
  const hasher = {
    verify: jest.fn(async (hash: string, secret: string) => hash === `hash(${secret})`),
    verifyDummy: jest.fn(async () => false as const),
  };
  const repository = {
    findWithSecretHash: jest.fn(async (id: string) => (id === client.clientId ? { client, secretHash: 'hash(right)' } : undefined)),
  };
  const audit = { record: jest.fn(async () => undefined) };
  let cache: SecretVerificationCache;
  let authenticator: ClientAuthenticator;
  const throttleConfig = aConfig({
    FAILED_AUTH_LIMIT_PER_CLIENT: '3',
    FAILED_AUTH_LIMIT_PER_ADDRESS: '5',
    FAILED_AUTH_THROTTLE_DELAY_MS: '0',
  });

  beforeEach(() => {
    jest.clearAllMocks();
    client = aClient();
    cache = new SecretVerificationCache(aConfig());
    const secretMethods = [ClientSecretBasicMethod, ClientSecretPostMethod].map(
      (Method) => new Method(hasher as unknown as SecretHasher, cache),
    );
    authenticator = new ClientAuthenticator(
      audit as unknown as AuditService,
      secretMethods,
      repository as unknown as ClientRepository,
      { ISSUER: 'https://as.example/ms-auth-server' },
      new FailedAuthThrottle(throttleConfig),
    );
  });

  /** The shared step with nothing after it: resolves to the authenticated client. */
  const authenticate = (request: OAuthRequest, methods?: ClientAuthMethodName[], confirmsClient = false) =>
    authenticator.withClient(request, { path: '/oauth2/token', methods, confirmsClient }, async (c) => c);

  const viaBasic = (secret: string, id = client.clientId) => ({ headers: { authorization: basic(id, secret) }, params: {} });
  const viaPost = (secret: string, id = client.clientId) => ({ headers: {}, params: { client_id: id, client_secret: secret } });

  async function failure(promise: Promise<unknown>): Promise<InvalidClientError> {
    const error = await promise.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidClientError);
    return error as InvalidClientError;
  }

  it('authenticates by client_secret_basic and by client_secret_post', async () => {
    await expect(authenticate(viaBasic('right'))).resolves.toBe(client);
    await expect(authenticate(viaPost('right'))).resolves.toBe(client);
  });

  it('refuses two methods at once with invalid_request', async () => {
    const request = { headers: { authorization: basic(client.clientId, 'right') }, params: { client_secret: 'right' } };
    await expect(authenticate(request)).rejects.toThrow(InvalidRequestError);
  });

  it('refuses no authentication with invalid_client and a Basic challenge', async () => {
    const error = await failure(authenticate({ headers: {}, params: { client_id: 'x' } }));
    expect(error.basicChallenge).toBe(true);
  });

  it('refuses a wrong secret: Basic challenge only when Basic was used; audited without the secret', async () => {
    expect((await failure(authenticate(viaBasic('wrong')))).basicChallenge).toBe(true);
    expect((await failure(authenticate(viaPost('wrong')))).basicChallenge).toBe(false);
    expect(audit.record).toHaveBeenCalledWith('client_auth_failed', client.clientId, {
      method: 'client_secret_post',
      reason: 'wrong credentials',
    });
    expect(JSON.stringify(audit.record.mock.calls)).not.toContain('wrong"');
  });

  it('checks an unknown client id against the dummy hash, so it costs what a wrong secret costs', async () => {
    const error = await failure(authenticate(viaPost('whatever', 'nobody')));
    expect(hasher.verifyDummy).toHaveBeenCalledWith('whatever');
    expect(error.description).toBe('client authentication failed');
  });

  it('refuses a method the client is not registered for', async () => {
    client = aClient({ authMethods: ['client_secret_basic'] });
    await failure(authenticate(viaPost('right')));
  });

  it('refuses a disabled client even with the right secret', async () => {
    client = aClient({ enabled: false });
    await failure(authenticate(viaBasic('right')));
  });

  it('uses the verification cache for a repeated correct secret, never for a wrong one', async () => {
    await authenticate(viaBasic('right'));
    await authenticate(viaBasic('right'));
    expect(hasher.verify).toHaveBeenCalledTimes(1);
    await failure(authenticate(viaBasic('wrong')));
    await failure(authenticate(viaBasic('wrong')));
    expect(hasher.verify).toHaveBeenCalledTimes(3);
  });

  it('ignores cached verifications once the secret version moved on (rotation elsewhere)', async () => {
    await authenticate(viaBasic('right'));
    client = aClient({ secretVersion: 2 });
    await authenticate(viaBasic('right'));
    expect(hasher.verify).toHaveBeenCalledTimes(2);
  });

  it('accepts only the methods an endpoint allows', async () => {
    await failure(authenticate(viaPost('right'), ['client_secret_basic']));
  });

  it('refuses Basic for one client next to a form client_id naming another with invalid_request (two identities)', async () => {
    const request = { headers: viaBasic('right').headers, params: { client_id: 'someone-else' } };
    const error = await authenticate(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(hasher.verify).not.toHaveBeenCalled();
    // The same id in both places is one identity (RFC 6749 allows client_id next to Basic).
    await expect(authenticate({ headers: viaBasic('right').headers, params: { client_id: client.clientId } })).resolves.toBe(client);
  });

  describe("the shared step: form → authenticated client → the endpoint's own steps", () => {
    const endpoint: ClientAuthEndpoint = { path: '/oauth2/token', confirmsClient: true };
    const form = { 'content-type': 'application/x-www-form-urlencoded' };

    it('hands the steps the authenticated client and the form parameters', async () => {
      const steps = jest.fn(async (c: RegisteredClient, params: Record<string, string>) => ({ c, params }));
      const body = { grant_type: 'client_credentials', client_id: client.clientId, client_secret: 'right' };
      await expect(authenticator.run({ headers: form, body }, endpoint, steps)).resolves.toEqual({ c: client, params: body });
    });

    it('stops at the form step: no client lookup for a JSON body or a repeated parameter', async () => {
      const steps = jest.fn();
      await expect(authenticator.run({ headers: { 'content-type': 'application/json' }, body: {} }, endpoint, steps)).rejects.toThrow(
        InvalidRequestError,
      );
      await expect(authenticator.run({ headers: form, body: { scope: ['a', 'b'] } }, endpoint, steps)).rejects.toThrow(InvalidRequestError);
      expect(repository.findWithSecretHash).not.toHaveBeenCalled();
      expect(steps).not.toHaveBeenCalled();
    });

    it('stops at client authentication: the steps never run for an unauthenticated client', async () => {
      const steps = jest.fn();
      await failure(authenticator.run({ headers: form, body: { client_id: client.clientId, client_secret: 'wrong' } }, endpoint, steps));
      expect(steps).not.toHaveBeenCalled();
    });

    it('after a ClientChangedError, forgets the recent verification and authenticates again from Postgres', async () => {
      await authenticate(viaBasic('right')); // now recently verified
      repository.findWithSecretHash.mockClear();
      let calls = 0;
      const steps = jest.fn(async () => {
        if (++calls === 1) {
          client = aClient({ secretVersion: 2 }); // rotated elsewhere; the old secret still matches our stub hash
          throw new ClientChangedError(client.clientId);
        }
        return 'done';
      });
      await expect(authenticator.withClient(viaBasic('right'), endpoint, steps)).resolves.toBe('done');
      expect(steps).toHaveBeenCalledTimes(2);
      expect(repository.findWithSecretHash).toHaveBeenCalledTimes(1); // the first attempt came from the cache
    });

    it('a client rotated or disabled again and again during one request ends in 401 invalid_client, not a 500', async () => {
      const steps = jest.fn(async (): Promise<never> => {
        throw new ClientChangedError(client.clientId);
      });
      const error = await failure(authenticator.withClient(viaBasic('right'), endpoint, steps));
      expect(error.basicChallenge).toBe(true);
      expect(steps).toHaveBeenCalledTimes(3);
      expect(audit.record).toHaveBeenLastCalledWith('client_auth_failed', client.clientId, {
        method: 'client_secret_basic',
        reason: 'client changed 3 times during one request',
      });
    });

    it('never reuses a recent verification for an endpoint that does not confirm the client itself', async () => {
      await authenticate(viaBasic('right'));
      repository.findWithSecretHash.mockClear();
      await authenticator.withClient(viaBasic('right'), { path: '/oauth2/revoke' }, async () => undefined);
      expect(repository.findWithSecretHash).toHaveBeenCalledTimes(1);
    });

    it("hands a method the issuer and the endpoint URL (an assertion's audience, RFC 7523 §3)", async () => {
      const seen: unknown[] = [];
      const assertion = {
        name: 'client_secret_post' as const,
        present: (request: { issuer: string; endpointUrl: string }) => (seen.push([request.issuer, request.endpointUrl]), undefined),
        verify: async () => false,
      };
      const withProbe = new ClientAuthenticator(
        audit as unknown as AuditService,
        [assertion],
        repository as unknown as ClientRepository,
        { ISSUER: 'https://as.example/ms-auth-server' },
        new FailedAuthThrottle(throttleConfig),
      );
      await failure(withProbe.withClient({ headers: {}, params: {} }, { path: '/oauth2/introspect' }, async () => undefined));
      expect(seen).toEqual([['https://as.example/ms-auth-server', 'https://as.example/ms-auth-server/oauth2/introspect']]);
    });
  });

  describe('failed-authentication throttle (ADR 0007)', () => {
    const throttled = async (promise: Promise<unknown>) => {
      const error = await promise.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TemporarilyUnavailableError);
      expect(error).toMatchObject({ status: 429, code: 'temporarily_unavailable' });
      expect((error as TemporarilyUnavailableError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    };

    it('after FAILED_AUTH_LIMIT_PER_CLIENT failures of one client_id → 429 without an argon2 check, even for the right secret', async () => {
      for (let i = 0; i < 3; i++) await failure(authenticate(viaPost(`guess-${i}`)));
      hasher.verify.mockClear();
      await throttled(authenticate(viaPost('guess-4')));
      await throttled(authenticate(viaBasic('right')));
      expect(hasher.verify).not.toHaveBeenCalled();
    });

    it('an unknown client_id is throttled exactly like a known one (nothing revealed)', async () => {
      for (let i = 0; i < 3; i++) await failure(authenticate(viaPost(`guess-${i}`, 'nobody')));
      await throttled(authenticate(viaPost('guess', 'nobody')));
    });

    it('per source address: failures spread over many ids are throttled too', async () => {
      for (let i = 0; i < 5; i++) await failure(authenticate(viaPost('x', `id-${i}`)));
      await throttled(authenticate(viaPost('x', 'yet-another-id')));
    });

    it('concurrent guesses cannot overshoot the limit: an attempt counts from its start', async () => {
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, (_, i) => authenticate(viaPost(`guess-${i}`)).catch((e: unknown) => e)),
      );
      expect(outcomes.filter((e) => e instanceof InvalidClientError)).toHaveLength(3);
      expect(outcomes.filter((e) => e instanceof TemporarilyUnavailableError)).toHaveLength(7);
      expect(hasher.verify).toHaveBeenCalledTimes(3);
    });

    it('successes and outages do not count as failures', async () => {
      for (let i = 0; i < 5; i++) {
        cache.forget(client.clientId); // each success pays the full check
        await expect(authenticate(viaPost('right'))).resolves.toBe(client);
      }
      cache.forget(client.clientId);
      repository.findWithSecretHash.mockRejectedValueOnce(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
      await expect(authenticate(viaPost('right'))).rejects.toThrow('ECONNREFUSED');
      for (let i = 0; i < 3; i++) await failure(authenticate(viaPost(`guess-${i}`)));
      expect(hasher.verify).toHaveBeenCalledTimes(5 + 3);
    });

    it('a secret verified before the flood still authenticates while its client_id is blocked', async () => {
      await expect(authenticate(viaBasic('right'))).resolves.toBe(client);
      for (let i = 0; i < 6; i++) await authenticate(viaPost(`guess-${i}`)).catch(() => undefined);
      await throttled(authenticate(viaPost('another-guess')));
      await expect(authenticate(viaBasic('right'))).resolves.toBe(client);
      await expect(authenticate(viaBasic('right'), undefined, true)).resolves.toBe(client);
    });
  });
});
