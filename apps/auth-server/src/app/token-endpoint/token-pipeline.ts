import { Injectable } from '@nestjs/common';
import type { TokenResponse } from '@playground/oauth-contracts';
import type { RegisteredClient } from '../clients/client';
import { GrantRegistry } from './grants/grant-registry';

/**
 * The token endpoint's own steps (RFC 6749 §3.2), after the shared ones (form, client
 * authentication — ClientAuthenticator.run) and before `no-store` (@NoStore on the controller):
 *   3. grant lookup (supported? allowed for this client?),
 *   4. grant handler, given only the parameters it declares (scope check, token issued and stored).
 * Any step throws an OAuthError; the one exception filter turns it into §5.2 JSON.
 */
@Injectable()
export class TokenPipeline {
  constructor(private readonly grants: GrantRegistry) {}

  async run(client: RegisteredClient, params: Record<string, string>): Promise<TokenResponse> {
    const grant = this.grants.lookup(params, client);
    const declared: Record<string, string> = Object.create(null);
    for (const name of grant.parameters) if (params[name] !== undefined) declared[name] = params[name];
    return grant.handle({ client, params: declared });
  }
}
