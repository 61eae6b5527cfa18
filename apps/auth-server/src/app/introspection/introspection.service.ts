import { Inject, Injectable } from '@nestjs/common';
import { AccessDeniedError, type IntrospectionResponse } from '@playground/oauth-contracts';
import { ClientAuthenticator } from '../client-auth/client-authenticator.service';
import type { RegisteredClient } from '../clients/client';
import { AUTH_SERVER_CONFIG, type AuthServerConfig } from '../config';
import { parseFormParameters, requireParam } from '../http/form-parameters';
import type { OAuthRequest } from '../http/oauth-request';
import { TokenService } from '../tokens/token.service';

const INACTIVE: IntrospectionResponse = { active: false };

/**
 * RFC 7662 introspection from stored state, for opaque tokens and JWTs alike. An active token
 * gets exactly the contract's fields; anything else — unknown, expired, revoked, malformed,
 * huge, of a disabled client — is `{"active":false}` and nothing more (§2.2).
 */
@Injectable()
export class IntrospectionService {
  constructor(
    private readonly authenticator: ClientAuthenticator,
    private readonly tokens: TokenService,
    @Inject(AUTH_SERVER_CONFIG) private readonly config: AuthServerConfig,
  ) {}

  /** Steps: form → caller authentication → may it introspect? → `token` → answer. */
  async introspect(headers: OAuthRequest['headers'], contentType: string | undefined, body: unknown): Promise<IntrospectionResponse> {
    const params = parseFormParameters(contentType, body);
    const caller = await this.authenticator.authenticate({ headers, params });
    this.authorize(caller);
    return this.describe(requireParam(params, 'token'));
  }

  authorize(caller: RegisteredClient): void {
    // §4: the endpoint must be protected, or it becomes a token-scanning oracle.
    if (!caller.mayIntrospect) {
      throw new AccessDeniedError('the client is not allowed to introspect tokens', { reason: `${caller.clientId} may not introspect` });
    }
  }

  async describe(token: string): Promise<IntrospectionResponse> {
    const stored = await this.tokens.find(token);
    if (!stored || !TokenService.isActive(stored)) return INACTIVE;
    return {
      active: true,
      sub: stored.clientId,
      aud: [stored.clientId],
      nbf: stored.iat,
      scope: stored.scope,
      iss: this.config.ISSUER,
      exp: stored.exp,
      iat: stored.iat,
      jti: stored.jti,
      client_id: stored.clientId,
      token_type: 'Bearer',
    };
  }
}
