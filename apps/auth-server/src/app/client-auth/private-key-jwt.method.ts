import { Inject, Injectable } from '@nestjs/common';
import { InvalidClientError, InvalidRequestError } from '@playground/oauth-contracts';
import type { RegisteredClient } from '../clients/client';
import { AUTH_SERVER_CONFIG, type AuthServerConfig } from '../config';
import type { OAuthRequest } from '../http/oauth-request';
import { ASSERTION_REPLAY_REPOSITORY, type AssertionReplayRepository } from './assertion-replay.repository';
import {
  ASSERTION_CLOCK_TOLERANCE_SECONDS,
  claimedClientId,
  ClientAssertionError,
  JWT_BEARER_ASSERTION_TYPE,
  verifyClientAssertion,
} from './client-assertion';
import { ClientKeySets } from './client-key-sets';

/** A client assertion as presented, before anyone has checked it. */
export interface PresentedAssertion {
  method: 'private_key_jwt';
  /** The assertion's `iss`, read unverified: whose keys to check it with. */
  clientId: string;
  assertion: string;
}

/**
 * `private_key_jwt` (RFC 7523 §2.2, RFC 7521 §4.2): the client proves itself with a JWT it signed
 * with its private key — no shared secret crosses the wire or sits in the server's database.
 *
 * `extract` reads `client_assertion_type` + `client_assertion` off the form; `check` verifies the
 * assertion against the client's registered keys (client-assertion.ts) and then spends its `jti`
 * in Postgres, so each assertion works once, on any instance.
 */
@Injectable()
export class PrivateKeyJwtMethod {
  readonly name = 'private_key_jwt' as const;

  constructor(
    @Inject(AUTH_SERVER_CONFIG) private readonly config: AuthServerConfig,
    private readonly keySets: ClientKeySets,
    @Inject(ASSERTION_REPLAY_REPOSITORY) private readonly replay: AssertionReplayRepository,
  ) {}

  /**
   * Undefined when the request carries neither parameter. Throws `invalid_request` for half an
   * assertion or for a `client_id` that names another client than the assertion's `iss` (the
   * contract's "two conflicting identities"), and `invalid_client` for another assertion type
   * or something that is not a JWT.
   */
  extract(request: OAuthRequest): PresentedAssertion | undefined {
    const type = request.params['client_assertion_type'];
    const assertion = request.params['client_assertion'];
    if (type === undefined && assertion === undefined) return undefined;
    if (type === undefined || assertion === undefined) {
      throw new InvalidRequestError('client_assertion and client_assertion_type go together', { reason: 'half a client assertion' });
    }
    if (type !== JWT_BEARER_ASSERTION_TYPE) throw new InvalidClientError({ reason: 'unsupported client_assertion_type' });
    let clientId: string;
    try {
      clientId = claimedClientId(assertion);
    } catch (error) {
      throw new InvalidClientError({ reason: `private_key_jwt: ${(error as Error).message}` });
    }
    const named = request.params['client_id'];
    if (named !== undefined && named !== clientId) {
      throw new InvalidRequestError('client_id does not match the client assertion', { reason: 'client_id differs from the assertion iss' });
    }
    return { method: this.name, clientId, assertion };
  }

  /**
   * Verifies the assertion for `client` (already found by its `iss`) and uses up its `jti`.
   * Returns the reason it fails — for the log and the audit row, never for the client — or
   * undefined when the client is authenticated.
   */
  async check({ assertion }: PresentedAssertion, client: RegisteredClient, now = Math.floor(Date.now() / 1000)): Promise<string | undefined> {
    const keys = this.keySets.for(client);
    if (!keys) return 'no keys registered';
    const issuer = this.config.ISSUER;
    try {
      const { jti, exp } = await verifyClientAssertion(assertion, { clientId: client.clientId, issuer, tokenEndpoint: `${issuer}/oauth2/token`, keys, now });
      // Kept until the assertion could no longer pass the exp check on any instance.
      if (!(await this.replay.use(client.clientId, jti, exp + ASSERTION_CLOCK_TOLERANCE_SECONDS, now))) return 'jti replayed';
      return undefined;
    } catch (error) {
      if (error instanceof ClientAssertionError) return error.message;
      throw error;
    }
  }
}
