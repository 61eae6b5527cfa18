import { Injectable } from '@nestjs/common';
import { InvalidRequestError, type TokenResponse } from '@playground/oauth-contracts';
import { ClientAuthenticator } from '../client-auth/client-authenticator.service';
import { ClientChangedError } from '../client-auth/client-changed.error';
import { formParameterList, parseFormParameters } from '../http/form-parameters';
import { DpopProofStep } from './dpop-proof.step';
import { GrantRegistry } from './grants/grant-registry';
import { ResourceIndicators } from './resource-indicators';

export interface RawTokenRequest {
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** The URL the request reached (for a DPoP proof's `htu`). */
  requestUrl: string;
}

/**
 * The token endpoint (RFC 6749 §3.2) as a list of small named steps:
 *   1. form parse + duplicate-parameter check (`resource` may repeat, RFC 8707 §2),
 *   2. DPoP proof, if sent (RFC 9449 §5; its jti is spent once, before any retry below),
 *   3. client authentication (+ `--require-dpop`: no proof → invalid_request),
 *   4. grant lookup (supported? allowed for this client?),
 *   5. resource indicators → the token's audience (RFC 8707, invalid_target),
 *   6. grant handler (scope check, token issued, bound and stored),
 *   7. `no-store` response — written by the controller, see setNoStore().
 * Any step throws an OAuthError; the one exception filter turns it into §5.2 JSON.
 */
@Injectable()
export class TokenPipeline {
  constructor(
    private readonly authenticator: ClientAuthenticator,
    private readonly grants: GrantRegistry,
    private readonly dpop: DpopProofStep,
    private readonly resources: ResourceIndicators,
  ) {}

  async run(request: RawTokenRequest): Promise<TokenResponse> {
    const contentType = request.headers['content-type'];
    const params = parseFormParameters(Array.isArray(contentType) ? contentType[0] : contentType, request.body, ['resource']);
    const requestedResources = formParameterList(request.body, 'resource');
    const jkt = await this.dpop.thumbprint(request);
    // The first attempt may authenticate from the verification cache without reading the client;
    // the token insert then confirms the client (enabled, same secret version) in its own
    // statement. If the client changed, nothing was written: forget the cached verification and
    // run again from Postgres, which answers a rotated secret or a disabled client at once.
    for (let attempt = 0; ; attempt++) {
      const client = await this.authenticator.authenticate({ headers: request.headers, params }, undefined, attempt === 0);
      try {
        if (client.requireDpop && !jkt) {
          throw new InvalidRequestError('this client must send a DPoP proof', { reason: `${client.clientId} requires DPoP` });
        }
        const grant = this.grants.lookup(params, client);
        const audience = await this.resources.audience(client, requestedResources);
        return await grant.handle({ client, params, audience, jkt });
      } catch (error) {
        if (!(error instanceof ClientChangedError) || attempt >= 2) throw error;
        this.authenticator.forget(client.clientId);
      }
    }
  }
}
