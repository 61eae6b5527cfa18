import { Inject, Injectable } from '@nestjs/common';
import { InvalidClientError, InvalidRequestError } from '@playground/oauth-contracts';
import { AuditService } from '../audit/audit.service';
import type { ClientAuthMethodName, RegisteredClient } from '../clients/client';
import { CLIENT_REPOSITORY, type ClientRepository } from '../clients/client.repository';
import { SecretHasher } from '../clients/secret-hasher';
import { SecretVerificationCache } from '../clients/secret-verification-cache';
import type { OAuthRequest } from '../http/oauth-request';
import { CLIENT_AUTH_METHOD_LIST, type ClientAuthMethod, type PresentedCredentials } from './client-auth-method';
import { oauthTelemetry } from '@playground/telemetry';

/**
 * Pipeline step 2: who is calling? Exactly one method per request (two → invalid_request,
 * none → 401 invalid_client), then the secret is checked against its argon2id hash (or the
 * verification cache). Every failure is the same generic `invalid_client`; the real reason goes
 * to the log and the audit log only, so the response never tells an attacker which part was wrong.
 */
@Injectable()
export class ClientAuthenticator {
  constructor(
    @Inject(CLIENT_AUTH_METHOD_LIST) private readonly methods: ClientAuthMethod[],
    @Inject(CLIENT_REPOSITORY) private readonly clients: ClientRepository,
    private readonly hasher: SecretHasher,
    private readonly cache: SecretVerificationCache,
    private readonly audit: AuditService,
  ) {}

  /**
   * `only`: the methods this endpoint accepts (the revocation feed is a GET: Basic only).
   * `confirmLater`: the caller checks `enabled AND secret_version` itself, in the SQL statement
   * that acts for the client (see ClientConfirmation), so a cached verification may answer
   * without any database round trip. Without it, the client is always re-read from Postgres.
   */
  async authenticate(request: OAuthRequest, only?: ClientAuthMethodName[], confirmLater = false): Promise<RegisteredClient> {
    const presented = this.methods
      .filter((method) => !only || only.includes(method.name))
      .map((method) => method.extract(request))
      .filter((credentials): credentials is PresentedCredentials => credentials !== undefined);
    if (presented.length > 1) {
      throw new InvalidRequestError('use exactly one client authentication method', { reason: 'two client authentication methods' });
    }
    if (presented.length === 0) {
      // HTTP requires a challenge on every 401; Basic is what every client here can do.
      throw new InvalidClientError({ basicChallenge: true, reason: 'no client authentication' });
    }
    if (confirmLater) {
      const { method, clientId, secret } = presented[0];
      const cached = clientId ? this.cache.verifiedClient(clientId, secret) : undefined;
      // Anything but a plain success goes the full way, so failures are audited as before.
      if (cached?.enabled && cached.authMethods.includes(method)) {
        oauthTelemetry.clientAuthenticated(cached.clientId, method, 'hit');
        return cached;
      }
    }
    return this.verify(presented[0]);
  }

  /** The client changed under a cached verification (rotated or disabled): drop what we cached. */
  forget(clientId: string): void {
    this.cache.forget(clientId);
  }

  private async verify({ method, clientId, secret }: PresentedCredentials): Promise<RegisteredClient> {
    const stored = clientId ? await this.clients.findWithSecretHash(clientId) : undefined;
    if (!stored) {
      await this.hasher.verifyDummy(secret); // unknown ids cost what wrong secrets cost
      return this.fail(method, clientId, 'unknown client');
    }
    const { client, secretHash } = stored;
    let valid = this.cache.isVerified(client.clientId, secret, client.secretVersion);
    if (!valid) {
      valid = await this.hasher.verify(secretHash, secret);
      if (valid) this.cache.remember(client.clientId, secret, client.secretVersion, client);
    }
    if (!valid) return this.fail(method, clientId, 'wrong secret');
    if (!client.enabled) return this.fail(method, clientId, 'client disabled');
    if (!client.authMethods.includes(method)) return this.fail(method, clientId, `${method} not allowed for this client`);
    oauthTelemetry.clientAuthenticated(client.clientId, method, 'miss');
    return client;
  }

  private async fail(method: ClientAuthMethodName, clientId: string, reason: string): Promise<never> {
    await this.audit.record('client_auth_failed', clientId || null, { method, reason });
    oauthTelemetry.clientAuthFailed(method);
    throw new InvalidClientError({
      basicChallenge: method === 'client_secret_basic',
      reason: `${reason} (client_id "${clientId.slice(0, 100)}", ${method})`,
    });
  }
}
