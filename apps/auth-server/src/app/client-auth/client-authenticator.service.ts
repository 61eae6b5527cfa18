import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InvalidClientError, InvalidRequestError } from '@playground/oauth-contracts';
import { AuditService } from '../audit/audit.service';
import type { ClientAuthMethodName, RegisteredClient } from '../clients/client';
import { CLIENT_REPOSITORY, type ClientRepository } from '../clients/client.repository.port';
import { AUTH_SERVER_CONFIG, type AuthServerConfig } from '../config';
import { parseFormParameters } from '../http/form-parameters';
import type { OAuthRequest } from '../http/oauth-request';
import { CLIENT_AUTH_METHOD_LIST, type ClientAuthMethod, type ClientAuthRequest, type PresentedCredentials } from './client-auth-method';
import { ClientChangedError } from './client-changed.error';
import { FailedAuthThrottle } from './failed-auth-throttle';
import { oauthTelemetry } from '@playground/telemetry';

/** An HTTP request as the OAuth endpoints receive it, before the form step. */
export interface RawOAuthRequest {
  headers: OAuthRequest['headers'];
  body: unknown;
  sourceAddress?: string;
}

/** How one endpoint authenticates its callers. */
export interface ClientAuthEndpoint {
  /** The endpoint's path under the issuer, e.g. `/oauth2/token` (an assertion's audience). */
  path: string;
  /** The methods it accepts; all registered ones when absent (the revocations feed: Basic only). */
  methods?: readonly ClientAuthMethodName[];
  /**
   * True when the endpoint's own steps confirm `enabled AND secret_version` in the statement that
   * acts for the client and throw ClientChangedError otherwise (token issue, introspection). Only
   * then may a recent verification answer without reading the client from Postgres.
   */
  confirmsClient?: boolean;
  /** Parameters a spec lets repeat (the token endpoint's RFC 8707 `resource`), read by the endpoint itself. */
  repeatable?: readonly string[];
}

/** Attempts per request: the first may come from the cache, the others read Postgres. */
const MAX_ATTEMPTS = 3;

/**
 * Steps 1 and 2 of the token, introspection and revocation endpoints — the form, then who is
 * calling — shared unchanged by all three (as node-oidc-provider's `client_auth` is):
 *
 *   form → authenticated client → the endpoint's own steps
 *
 * Exactly one method per request (two → invalid_request, none → 401 invalid_client); a form
 * `client_id` naming another client than the credentials → invalid_request (two identities);
 * then the method verifies the credentials. Every authentication failure is the same generic
 * `invalid_client`; the real reason goes to the log and the audit log only, so the response never
 * tells an attacker which part was wrong.
 *
 * It also owns the ClientChangedError retry: when the client was rotated or disabled between its
 * authentication and the statement that acts for it, nothing was written; the step forgets the
 * recent verification and authenticates again from Postgres. A client that keeps changing for
 * MAX_ATTEMPTS attempts ends in 401 `invalid_client`, never in a 500.
 */
@Injectable()
export class ClientAuthenticator {
  /** Verifications in progress, by a hash of the presented credentials (never the credentials themselves). */
  private readonly verifying = new Map<string, Promise<RegisteredClient>>();

  constructor(
    private readonly audit: AuditService,
    @Inject(CLIENT_AUTH_METHOD_LIST) private readonly methods: ClientAuthMethod[],
    @Inject(CLIENT_REPOSITORY) private readonly clients: ClientRepository,
    @Inject(AUTH_SERVER_CONFIG) private readonly config: Pick<AuthServerConfig, 'ISSUER'>,
    private readonly throttle: FailedAuthThrottle,
  ) {}

  /**
   * form → authenticated client → `steps(client, params)`. Throws InvalidRequestError (form,
   * conflicting credentials), InvalidClientError (authentication), or whatever `steps` throws.
   */
  async run<T>(
    http: RawOAuthRequest,
    endpoint: ClientAuthEndpoint,
    steps: (client: RegisteredClient, params: Record<string, string>) => Promise<T>,
  ): Promise<T> {
    const contentType = http.headers['content-type'];
    const params = parseFormParameters(Array.isArray(contentType) ? contentType[0] : contentType, http.body, endpoint.repeatable);
    return this.withClient({ headers: http.headers, params, sourceAddress: http.sourceAddress }, endpoint, (client) =>
      steps(client, params),
    );
  }

  /** authenticated client → `steps(client)`, for a request whose parameters are already read. */
  async withClient<T>(request: OAuthRequest, endpoint: ClientAuthEndpoint, steps: (client: RegisteredClient) => Promise<T>): Promise<T> {
    const authRequest: ClientAuthRequest = { ...request, issuer: this.config.ISSUER, endpointUrl: `${this.config.ISSUER}${endpoint.path}` };
    const [method, presented] = this.presented(authRequest, endpoint.methods);
    for (let attempt = 1; ; attempt++) {
      const client = await this.authenticate(method, presented, authRequest, endpoint.confirmsClient === true && attempt === 1);
      try {
        return await steps(client);
      } catch (error) {
        if (!(error instanceof ClientChangedError)) throw error;
        method.forget?.(client.clientId);
        if (attempt >= MAX_ATTEMPTS)
          return this.fail(method.name, presented.clientId, `client changed ${attempt} times during one request`);
      }
    }
  }

  /** Which method the request uses, with which credentials; refuses none, two, or two identities. */
  private presented(request: ClientAuthRequest, only?: readonly ClientAuthMethodName[]): [ClientAuthMethod, PresentedCredentials] {
    const presented: Array<[ClientAuthMethod, PresentedCredentials]> = [];
    for (const method of this.methods) {
      if (only && !only.includes(method.name)) continue;
      const credentials = method.present(request);
      if (credentials) presented.push([method, credentials]);
    }
    if (presented.length > 1) {
      throw new InvalidRequestError('use exactly one client authentication method', { reason: 'two client authentication methods' });
    }
    if (presented.length === 0) {
      // HTTP requires a challenge on every 401; Basic is what every client here can do.
      throw new InvalidClientError({ basicChallenge: true, reason: 'no client authentication' });
    }
    const [method, credentials] = presented[0];
    const named = request.params['client_id'];
    if (named !== undefined && named !== credentials.clientId) {
      // RFC 6749 §2.3: one method, one client. Answering for either would be a guess.
      throw new InvalidRequestError('the client_id parameter names another client than the client credentials', {
        reason: `client_id ${JSON.stringify(named.slice(0, 100))} next to ${method.name} for ${JSON.stringify(credentials.clientId.slice(0, 100))}`,
      });
    }
    return [method, credentials];
  }

  private async authenticate(
    method: ClientAuthMethod,
    presented: PresentedCredentials,
    request: ClientAuthRequest,
    mayUseRecent: boolean,
  ): Promise<RegisteredClient> {
    if (mayUseRecent && method.recentlyVerified) {
      const recent = method.recentlyVerified(presented);
      // Anything but a plain success goes the full way, so failures are audited as before.
      if (recent?.enabled && recent.authMethods.includes(method.name)) {
        oauthTelemetry.clientAuthenticated(recent.clientId, method.name, 'hit');
        return recent;
      }
    }
    if (!method.recentlyVerified) return this.checkCounted(method, presented, request);
    // Only attempts that cost an argon2id verification are throttled from their start: credentials
    // verified recently pass even while their client_id or address is over the failure limit
    // (ADR 0007). An attempt counts from its start and is taken back when it succeeds or fails for
    // another reason (an outage), so concurrent guesses cannot overshoot the limit. Concurrent
    // attempts with identical credentials share one verification (and so one count): a good
    // client whose cache entry just expired, calling from thirty workers at once, is one attempt,
    // not thirty that the throttle would take for guesses.
    if (method.recentlyVerified(presented)) return this.check(method, presented, request);
    const key = createHash('sha256').update(`${method.name}\0${presented.clientId}\0${presented.credential}`, 'utf8').digest('base64url');
    const running = this.verifying.get(key);
    if (running) {
      // The verification runs under the first request's span; this request's span says so too.
      const client = await running;
      oauthTelemetry.clientAuthenticated(client.clientId, method.name, 'hit');
      return client;
    }
    // Credentials that verified before in this process are not a guess: checked in full (argon2id,
    // the current hash), but never held back by the throttle — a flood of guesses under this
    // client's id must not lock the client out when its cache entry lapses mid-flood.
    const verification = method.verifiedBefore?.(presented)
      ? this.check(method, presented, request)
      : this.checkThrottled(method, presented, request);
    const attempt = verification.finally(() => this.verifying.delete(key));
    this.verifying.set(key, attempt);
    return attempt;
  }

  private async checkThrottled(
    method: ClientAuthMethod,
    presented: PresentedCredentials,
    request: ClientAuthRequest,
  ): Promise<RegisteredClient> {
    const address = request.sourceAddress;
    await this.throttle.begin(presented.clientId, address);
    try {
      const client = await this.check(method, presented, request);
      await this.throttle.succeeded(presented.clientId, address);
      return client;
    } catch (error) {
      if (!(error instanceof InvalidClientError)) await this.throttle.succeeded(presented.clientId, address);
      throw error;
    }
  }

  /**
   * A method without a secret (private_key_jwt: a new assertion every time, checked by one
   * signature verification, no argon2id) is throttled by its failures only: refused while its
   * client_id or address is over the limit, counted when it fails. Counting from the start would
   * take a busy client's own concurrent requests for guesses.
   */
  private async checkCounted(
    method: ClientAuthMethod,
    presented: PresentedCredentials,
    request: ClientAuthRequest,
  ): Promise<RegisteredClient> {
    await this.throttle.admit(presented.clientId, request.sourceAddress);
    try {
      return await this.check(method, presented, request);
    } catch (error) {
      if (error instanceof InvalidClientError) await this.throttle.failed(presented.clientId, request.sourceAddress);
      throw error;
    }
  }

  private async check(method: ClientAuthMethod, presented: PresentedCredentials, request: ClientAuthRequest): Promise<RegisteredClient> {
    const { clientId } = presented;
    const onFile = clientId ? await this.clients.findWithSecretHash(clientId) : undefined;
    const verified = await method.verify(presented, onFile, request);
    if (!onFile) return this.fail(method.name, clientId, 'unknown client');
    if (verified !== true) return this.fail(method.name, clientId, verified ? verified.reason : 'wrong credentials');
    const { client } = onFile;
    if (!client.enabled) return this.fail(method.name, clientId, 'client disabled');
    if (!client.authMethods.includes(method.name)) return this.fail(method.name, clientId, `${method.name} not allowed for this client`);
    oauthTelemetry.clientAuthenticated(client.clientId, method.name, 'miss');
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
