import { Injectable } from '@nestjs/common';
import { InvalidScopeError, isScopeToken, parseScope, type TokenResponse } from '@playground/oauth-contracts';
import { TokenService } from '../../tokens/token.service';
import type { GrantContext, GrantHandler } from './grant';
import { setOAuthSpanAttributes } from '@playground/telemetry';

/**
 * RFC 6749 §4.4 client credentials. No scope requested → every scope registered for the client
 * (§3.3 lets the server pick a default); any requested scope the client does not have →
 * `invalid_scope`, never a silently narrowed token.
 */
@Injectable()
export class ClientCredentialsGrant implements GrantHandler {
  readonly grantType = 'client_credentials';
  /** §4.4.2: `scope` is the only parameter of this grant besides `grant_type`. */
  readonly parameters = ['scope'] as const;

  constructor(private readonly tokens: TokenService) {}

  async handle({ client, params, audience, jkt }: GrantContext): Promise<TokenResponse> {
    const scopes = this.grantedScopes(client.scopes, params['scope']);
    setOAuthSpanAttributes({ grantType: this.grantType });
    const issued = await this.tokens.issue(client, scopes, { audience, jkt });
    // RFC 9449 §5: a bound token is announced as token_type DPoP.
    return { access_token: issued.accessToken, token_type: jkt ? 'DPoP' : 'Bearer', expires_in: issued.expiresIn, scope: issued.scope };
  }

  grantedScopes(registered: string[], requested: string | undefined): string[] {
    if (requested === undefined || requested.trim() === '') return [...registered];
    const wanted = Array.from(new Set(parseScope(requested)));
    const unknown = wanted.filter((scope) => !isScopeToken(scope) || !registered.includes(scope));
    if (unknown.length) {
      throw new InvalidScopeError('the requested scope is invalid, unknown, or not allowed for this client', {
        reason: `scope(s) not registered: ${unknown
          .map((s) => s.slice(0, 40))
          .join(' ')
          .slice(0, 200)}`,
      });
    }
    return wanted;
  }
}
