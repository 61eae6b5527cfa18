import { InvalidClientError, InvalidRequestError } from '@playground/oauth-contracts';
import type { AuditService } from '../audit/audit.service';
import type { ClientRepository } from '../clients/client.repository';
import type { SecretHasher } from '../clients/secret-hasher';
import { SecretVerificationCache } from '../clients/secret-verification-cache';
import { aClient, aConfig } from '../testing/fixtures';
import { ClientAuthenticator } from './client-authenticator.service';
import { ClientSecretBasicMethod } from './client-secret-basic.method';
import { ClientSecretPostMethod } from './client-secret-post.method';
import { FailedAuthThrottle } from './failed-auth-throttle';
import { TemporarilyUnavailableError } from '@playground/oauth-contracts';

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('client authentication step (RFC 6749 §2.3, §5.2)', () => {
  let client = aClient();
  const hasher = {
    verify: jest.fn(async (hash: string, secret: string) => hash === `hash(${secret})`),
    verifyDummy: jest.fn(async () => false as const),
  };
  const repository = { findWithSecretHash: jest.fn(async (id: string) => (id === client.clientId ? { client, secretHash: 'hash(right)' } : undefined)) };
  const audit = { record: jest.fn(async () => undefined) };
  let cache: SecretVerificationCache;
  let authenticator: ClientAuthenticator;
  const throttleConfig = aConfig({ FAILED_AUTH_LIMIT_PER_CLIENT: '3', FAILED_AUTH_LIMIT_PER_ADDRESS: '5', FAILED_AUTH_THROTTLE_DELAY_MS: '0' });

  beforeEach(() => {
    jest.clearAllMocks();
    client = aClient();
    cache = new SecretVerificationCache(aConfig());
    authenticator = new ClientAuthenticator(
      [new ClientSecretBasicMethod(), new ClientSecretPostMethod()],
      repository as unknown as ClientRepository,
      hasher as unknown as SecretHasher,
      cache,
      audit as unknown as AuditService,
      new FailedAuthThrottle(throttleConfig),
    );
  });

  const viaBasic = (secret: string, id = client.clientId) => ({ headers: { authorization: basic(id, secret) }, params: {} });
  const viaPost = (secret: string, id = client.clientId) => ({ headers: {}, params: { client_id: id, client_secret: secret } });

  async function failure(promise: Promise<unknown>): Promise<InvalidClientError> {
    const error = await promise.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidClientError);
    return error as InvalidClientError;
  }

  it('authenticates by client_secret_basic and by client_secret_post', async () => {
    await expect(authenticator.authenticate(viaBasic('right'))).resolves.toBe(client);
    await expect(authenticator.authenticate(viaPost('right'))).resolves.toBe(client);
  });

  it('refuses two methods at once with invalid_request', async () => {
    const request = { headers: { authorization: basic(client.clientId, 'right') }, params: { client_secret: 'right' } };
    await expect(authenticator.authenticate(request)).rejects.toThrow(InvalidRequestError);
  });

  it('refuses no authentication with invalid_client and a Basic challenge', async () => {
    const error = await failure(authenticator.authenticate({ headers: {}, params: { client_id: 'x' } }));
    expect(error.basicChallenge).toBe(true);
  });

  it('refuses a wrong secret: Basic challenge only when Basic was used; audited without the secret', async () => {
    expect((await failure(authenticator.authenticate(viaBasic('wrong')))).basicChallenge).toBe(true);
    expect((await failure(authenticator.authenticate(viaPost('wrong')))).basicChallenge).toBe(false);
    expect(audit.record).toHaveBeenCalledWith('client_auth_failed', client.clientId, { method: 'client_secret_post', reason: 'wrong secret' });
    expect(JSON.stringify(audit.record.mock.calls)).not.toContain('wrong"');
  });

  it('checks an unknown client id against the dummy hash, so it costs what a wrong secret costs', async () => {
    const error = await failure(authenticator.authenticate(viaPost('whatever', 'nobody')));
    expect(hasher.verifyDummy).toHaveBeenCalledWith('whatever');
    expect(error.description).toBe('client authentication failed');
  });

  it('refuses a method the client is not registered for', async () => {
    client = aClient({ authMethods: ['client_secret_basic'] });
    await failure(authenticator.authenticate(viaPost('right')));
  });

  it('refuses a disabled client even with the right secret', async () => {
    client = aClient({ enabled: false });
    await failure(authenticator.authenticate(viaBasic('right')));
  });

  it('uses the verification cache for a repeated correct secret, never for a wrong one', async () => {
    await authenticator.authenticate(viaBasic('right'));
    await authenticator.authenticate(viaBasic('right'));
    expect(hasher.verify).toHaveBeenCalledTimes(1);
    await failure(authenticator.authenticate(viaBasic('wrong')));
    await failure(authenticator.authenticate(viaBasic('wrong')));
    expect(hasher.verify).toHaveBeenCalledTimes(3);
  });

  it('ignores cached verifications once the secret version moved on (rotation elsewhere)', async () => {
    await authenticator.authenticate(viaBasic('right'));
    client = aClient({ secretVersion: 2 });
    await authenticator.authenticate(viaBasic('right'));
    expect(hasher.verify).toHaveBeenCalledTimes(2);
  });

  it('accepts only the methods an endpoint allows', async () => {
    await failure(authenticator.authenticate(viaPost('right'), ['client_secret_basic']));
  });

  describe('failed-authentication throttle (ADR 0007)', () => {
    const throttled = async (promise: Promise<unknown>) => {
      const error = await promise.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TemporarilyUnavailableError);
      expect(error).toMatchObject({ status: 429, code: 'temporarily_unavailable' });
      expect((error as TemporarilyUnavailableError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    };

    it('after FAILED_AUTH_LIMIT_PER_CLIENT failures of one client_id → 429 without an argon2 check, even for the right secret', async () => {
      for (let i = 0; i < 3; i++) await failure(authenticator.authenticate(viaPost(`guess-${i}`)));
      hasher.verify.mockClear();
      await throttled(authenticator.authenticate(viaPost('guess-4')));
      await throttled(authenticator.authenticate(viaBasic('right')));
      expect(hasher.verify).not.toHaveBeenCalled();
    });

    it('an unknown client_id is throttled exactly like a known one (nothing revealed)', async () => {
      for (let i = 0; i < 3; i++) await failure(authenticator.authenticate(viaPost(`guess-${i}`, 'nobody')));
      await throttled(authenticator.authenticate(viaPost('guess', 'nobody')));
    });

    it('per source address: failures spread over many ids are throttled too', async () => {
      for (let i = 0; i < 5; i++) await failure(authenticator.authenticate(viaPost('x', `id-${i}`)));
      await throttled(authenticator.authenticate(viaPost('x', 'yet-another-id')));
    });

    it('concurrent guesses cannot overshoot the limit: an attempt counts from its start', async () => {
      const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => authenticator.authenticate(viaPost(`guess-${i}`)).catch((e: unknown) => e)));
      expect(outcomes.filter((e) => e instanceof InvalidClientError)).toHaveLength(3);
      expect(outcomes.filter((e) => e instanceof TemporarilyUnavailableError)).toHaveLength(7);
      expect(hasher.verify).toHaveBeenCalledTimes(3);
    });

    it('successes and outages do not count as failures', async () => {
      for (let i = 0; i < 5; i++) {
        authenticator.forget(client.clientId); // each success pays the full check
        await expect(authenticator.authenticate(viaPost('right'))).resolves.toBe(client);
      }
      authenticator.forget(client.clientId);
      repository.findWithSecretHash.mockRejectedValueOnce(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
      await expect(authenticator.authenticate(viaPost('right'))).rejects.toThrow('ECONNREFUSED');
      for (let i = 0; i < 3; i++) await failure(authenticator.authenticate(viaPost(`guess-${i}`)));
      expect(hasher.verify).toHaveBeenCalledTimes(5 + 3);
    });

    it('a secret verified before the flood still authenticates while its client_id is blocked', async () => {
      await expect(authenticator.authenticate(viaBasic('right'))).resolves.toBe(client);
      for (let i = 0; i < 6; i++) await authenticator.authenticate(viaPost(`guess-${i}`)).catch(() => undefined);
      await throttled(authenticator.authenticate(viaPost('another-guess')));
      await expect(authenticator.authenticate(viaBasic('right'))).resolves.toBe(client);
      await expect(authenticator.authenticate(viaBasic('right'), undefined, true)).resolves.toBe(client);
    });
  });
});
