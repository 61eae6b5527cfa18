import { Inject, Injectable } from '@nestjs/common';
import { InvalidRequestError, UnauthorizedClientError, UnsupportedGrantTypeError } from '@playground/oauth-contracts';
import type { RegisteredClient } from '../../clients/client';
import { GRANT_HANDLER_LIST, type GrantHandler } from './grant';

/**
 * Pipeline step 3: which grant? Missing → invalid_request; unknown to this server →
 * unsupported_grant_type; known but not registered for the client → unauthorized_client.
 */
@Injectable()
export class GrantRegistry {
  constructor(@Inject(GRANT_HANDLER_LIST) private readonly handlers: GrantHandler[]) {}

  get supported(): string[] {
    return this.handlers.map((h) => h.grantType);
  }

  lookup(params: Record<string, string>, client: RegisteredClient): GrantHandler {
    const grantType = params['grant_type'];
    if (!grantType) throw new InvalidRequestError("missing parameter 'grant_type'");
    const handler = this.handlers.find((h) => h.grantType === grantType);
    if (!handler) {
      throw new UnsupportedGrantTypeError('the grant type is not supported by this server', {
        reason: `grant_type "${grantType.slice(0, 60)}"`,
      });
    }
    if (!client.grantTypes.includes(grantType)) {
      throw new UnauthorizedClientError('the client is not allowed to use this grant type', {
        reason: `${client.clientId} lacks ${grantType}`,
      });
    }
    return handler;
  }
}
