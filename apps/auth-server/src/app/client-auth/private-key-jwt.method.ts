import { Inject, Injectable } from '@nestjs/common';
import { InvalidClientError, InvalidRequestError } from '@playground/oauth-contracts';
import { CLIENT_ID_PATTERN } from '../clients/client';
import { ASSERTION_REPLAY_REPOSITORY, type AssertionReplayRepository } from './assertion-replay.repository.port';
import type { ClientAuthMethod, ClientAuthRequest, ClientOnFile, PresentedCredentials, VerificationFailure } from './client-auth-method';
import {
  ASSERTION_CLOCK_TOLERANCE_SECONDS,
  claimedClientId,
  ClientAssertionError,
  JWT_BEARER_ASSERTION_TYPE,
  verifyClientAssertion,
} from './client-assertion';
import { ClientKeySets } from './client-key-sets';

/**
 * `private_key_jwt` (RFC 7523 §2.2, RFC 7521 §4.2): the client proves itself with a JWT it signed
 * with its private key, so no shared secret crosses the wire or sits in the server's database.
 *
 * `present` reads `client_assertion_type` + `client_assertion` off the form and the assertion's
 * `iss` (unverified: it only says whose keys to check with); `verify` checks the assertion against
 * the client's registered keys (client-assertion.ts) and then spends its `jti` in Postgres, so
 * each assertion works once, on any instance. A form `client_id` naming another client is the
 * shared step's `invalid_request`, as for the secret methods. There is no recent-verification
 * fast path: an assertion is never presented twice.
 */
@Injectable()
export class PrivateKeyJwtMethod implements ClientAuthMethod {
  readonly name = 'private_key_jwt' as const;

  constructor(
    private readonly keySets: ClientKeySets,
    @Inject(ASSERTION_REPLAY_REPOSITORY) private readonly replay: AssertionReplayRepository,
  ) {}

  /**
   * Undefined when the form carries neither parameter. Throws `invalid_request` for half an
   * assertion, `invalid_client` for another assertion type or an assertion that is not a JWT.
   */
  present(request: ClientAuthRequest): PresentedCredentials | undefined {
    const type = request.params['client_assertion_type'];
    const assertion = request.params['client_assertion'];
    if (type === undefined && assertion === undefined) return undefined;
    if (type === undefined || assertion === undefined) {
      throw new InvalidRequestError('client_assertion and client_assertion_type go together', { reason: 'half a client assertion' });
    }
    if (type !== JWT_BEARER_ASSERTION_TYPE) throw new InvalidClientError({ reason: 'private_key_jwt: unsupported client_assertion_type' });
    let clientId: string;
    try {
      clientId = claimedClientId(assertion);
    } catch (error) {
      throw new InvalidClientError({ reason: `private_key_jwt: ${(error as Error).message}` });
    }
    // An iss no client can have (a NUL byte, 10 kB) is refused here, never sent to Postgres.
    if (!CLIENT_ID_PATTERN.test(clientId)) throw new InvalidClientError({ reason: 'private_key_jwt: iss is not a client id' });
    return { method: this.name, clientId, credential: assertion };
  }

  /**
   * True when the assertion holds for the client on file and its `jti` was not used before;
   * otherwise the failed check as the reason. The `jti` is spent only by an assertion that passed
   * every other check, and kept until the assertion could no longer pass its `exp` check.
   */
  async verify(
    { credential: assertion }: PresentedCredentials,
    onFile: ClientOnFile | undefined,
    request: ClientAuthRequest,
  ): Promise<true | VerificationFailure> {
    if (!onFile) return { reason: 'unknown client' };
    const { client } = onFile;
    const keys = this.keySets.for(client);
    if (!keys) return { reason: 'no keys registered' };
    const now = Math.floor(Date.now() / 1000);
    try {
      const { jti, exp } = await verifyClientAssertion(assertion, {
        clientId: client.clientId,
        issuer: request.issuer,
        tokenEndpoint: `${request.issuer}/oauth2/token`,
        keys,
        now,
      });
      if (!(await this.replay.use(client.clientId, jti, exp + ASSERTION_CLOCK_TOLERANCE_SECONDS, now))) return { reason: 'jti replayed' };
      return true;
    } catch (error) {
      if (error instanceof ClientAssertionError) return { reason: `private_key_jwt: ${error.message}` };
      throw error;
    }
  }
}
