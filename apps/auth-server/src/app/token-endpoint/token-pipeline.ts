import { Injectable } from '@nestjs/common';
import type { TokenResponse } from '@playground/oauth-contracts';
import { ClientAuthenticator } from '../client-auth/client-authenticator.service';
import { ClientChangedError } from '../client-auth/client-changed.error';
import { parseFormParameters } from '../http/form-parameters';
import { GrantRegistry } from './grants/grant-registry';

export interface RawTokenRequest {
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/**
 * The token endpoint (RFC 6749 §3.2) as a list of small named steps:
 *   1. form parse + duplicate-parameter check,
 *   2. client authentication,
 *   3. grant lookup (supported? allowed for this client?),
 *   4. grant handler (scope check, token issued and stored),
 *   5. `no-store` response — written by the controller, see setNoStore().
 * Any step throws an OAuthError; the one exception filter turns it into §5.2 JSON.
 */
@Injectable()
export class TokenPipeline {
  constructor(
    private readonly authenticator: ClientAuthenticator,
    private readonly grants: GrantRegistry,
  ) {}

  async run(request: RawTokenRequest): Promise<TokenResponse> {
    const contentType = request.headers['content-type'];
    const params = parseFormParameters(Array.isArray(contentType) ? contentType[0] : contentType, request.body);
    // The first attempt may authenticate from the verification cache without reading the client;
    // the token insert then confirms the client (enabled, same secret version) in its own
    // statement. If the client changed, nothing was written: forget the cached verification and
    // run again from Postgres, which answers a rotated secret or a disabled client at once.
    for (let attempt = 0; ; attempt++) {
      const client = await this.authenticator.authenticate({ headers: request.headers, params }, undefined, attempt === 0);
      try {
        const grant = this.grants.lookup(params, client);
        return await grant.handle({ client, params });
      } catch (error) {
        if (!(error instanceof ClientChangedError) || attempt >= 2) throw error;
        this.authenticator.forget(client.clientId);
      }
    }
  }
}
