import { Injectable } from '@nestjs/common';
import { InvalidRequestError, type TokenResponse } from '@playground/oauth-contracts';
import type { RegisteredClient } from '../clients/client';
import { formParameterList } from '../http/form-parameters';
import { DpopProofStep } from './dpop-proof.step';
import { GrantRegistry } from './grants/grant-registry';
import { ResourceIndicators } from './resource-indicators';

export interface RawTokenRequest {
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** The URL the request reached (for a DPoP proof's `htu`). */
  requestUrl: string;
}

/** What the token request brings besides its one-value parameters, read once before authentication. */
export interface TokenRequestExtras {
  /** RFC 8707 `resource` values, in request order (the one repeatable parameter). */
  resources: string[];
  /** RFC 9449: the thumbprint of a verified DPoP proof's key; undefined without a proof. */
  jkt?: string;
}

/**
 * The token endpoint's own steps (RFC 6749 §3.2) around the shared ones (form, client
 * authentication — ClientAuthenticator.run) and before `no-store` (@NoStore on the controller):
 *   0. `prepare`: the DPoP proof, if sent (RFC 9449 §5), checked and its jti spent once — before
 *      client authentication, whose retry would otherwise present the same proof twice;
 *      and the `resource` values (RFC 8707 §2: the one parameter that may repeat);
 *   3. a client registered with `--require-dpop` without a proof → invalid_request;
 *   4. grant lookup (supported? allowed for this client?);
 *   5. resource indicators → the token's audience (invalid_target);
 *   6. grant handler, given only the parameters it declares (scope check, token issued, bound and stored).
 * Any step throws an OAuthError; the one exception filter turns it into §5.2 JSON.
 */
@Injectable()
export class TokenPipeline {
  constructor(
    private readonly grants: GrantRegistry,
    private readonly dpop: DpopProofStep,
    private readonly resources: ResourceIndicators,
  ) {}

  async prepare(request: RawTokenRequest): Promise<TokenRequestExtras> {
    const resources = formParameterList(request.body, 'resource');
    return { resources, jkt: await this.dpop.thumbprint(request) };
  }

  async run(
    client: RegisteredClient,
    params: Record<string, string>,
    extras: TokenRequestExtras = { resources: [] },
  ): Promise<TokenResponse> {
    if (client.requireDpop && !extras.jkt) {
      throw new InvalidRequestError('this client must send a DPoP proof', { reason: `${client.clientId} requires DPoP` });
    }
    const grant = this.grants.lookup(params, client);
    const audience = await this.resources.audience(client, extras.resources);
    const declared: Record<string, string> = Object.create(null);
    for (const name of grant.parameters) if (params[name] !== undefined) declared[name] = params[name];
    return grant.handle({ client, params: declared, audience, jkt: extras.jkt });
  }
}
