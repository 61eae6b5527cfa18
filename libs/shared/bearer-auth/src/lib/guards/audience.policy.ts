import { Inject, Injectable } from '@nestjs/common';
import { InvalidTokenError, type AuthenticatedClient } from '@playground/oauth-contracts';
import { BEARER_AUTH_OPTIONS, type ResolvedBearerAuthOptions } from '../bearer-auth.options';

/**
 * RFC 8707 §2 / RFC 9068 §4 audience restriction, the same for every validation mode:
 * - a token issued for this resource (its `aud` names `resource`) is accepted;
 * - a token issued without a resource indicator (`aud` is only the client itself) is accepted,
 *   unless `requireAudience` is set;
 * - a token whose audience names other resources only is refused: it was meant for someone else,
 *   and accepting it would let any resource server replay the tokens it receives.
 */
@Injectable()
export class AudiencePolicy {
  constructor(@Inject(BEARER_AUTH_OPTIONS) private readonly options: ResolvedBearerAuthOptions) {}

  /** @throws BearerError 401 invalid_token */
  check(client: AuthenticatedClient): void {
    const { resource, requireAudience } = this.options;
    if (!resource || client.audience.includes(resource)) return;
    const unbound = client.audience.every((aud) => aud === client.clientId);
    if (unbound && !requireAudience) return;
    throw new InvalidTokenError(
      unbound ? 'the access token is not audience-restricted to this resource' : 'the access token is meant for another resource',
      { reason: `aud ${client.audience.join(' ').slice(0, 200)}` },
    );
  }
}
