import { Inject, Injectable } from '@nestjs/common';
import { AccessDeniedError, type IntrospectionResponse } from '@playground/oauth-contracts';
import type { RegisteredClient } from '../clients/client';
import { AUTH_SERVER_CONFIG, type AuthServerConfig } from '../config';
import { requireParam } from '../http/form-parameters';
import type { StoredToken } from '../tokens/token.repository.port';
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
    private readonly tokens: TokenService,
    @Inject(AUTH_SERVER_CONFIG) private readonly config: AuthServerConfig,
  ) {}

  /**
   * Introspection's own steps, after the shared form and caller authentication
   * (ClientAuthenticator.run): may the caller introspect? → `token` → answer.
   *
   * The caller's authentication may come from the verification cache; the statement that reads
   * the token then also confirms the caller is still enabled at its secret version, and throws
   * ClientChangedError if not (the shared step then authenticates the caller again).
   */
  async introspect(caller: RegisteredClient, params: Record<string, string>): Promise<IntrospectionResponse> {
    let token: string;
    try {
      this.authorize(caller);
      token = requireParam(params, 'token');
    } catch (error) {
      // A 403 or 400 is the answer only if the caller still is who the cache says it is.
      await this.tokens.findForCaller('', caller);
      throw error;
    }
    const stored = await this.tokens.findForCaller(token, caller);
    return this.toResponse(stored);
  }

  private authorize(caller: RegisteredClient): void {
    // §4: the endpoint must be protected, or it becomes a token-scanning oracle.
    if (!caller.mayIntrospect) {
      throw new AccessDeniedError('the client is not allowed to introspect tokens', { reason: `${caller.clientId} may not introspect` });
    }
  }

  private toResponse(stored: StoredToken | undefined): IntrospectionResponse {
    if (!stored || !TokenService.isActive(stored)) return INACTIVE;
    return {
      active: true,
      sub: stored.clientId,
      // Always an array (docs/contract.md): the resource indicators, or the client itself.
      aud: stored.audience ?? [stored.clientId],
      nbf: stored.iat,
      scope: stored.scope,
      iss: this.config.ISSUER,
      exp: stored.exp,
      iat: stored.iat,
      jti: stored.jti,
      client_id: stored.clientId,
      // RFC 9449 §6.2: a bound token says so, and names its key.
      ...(stored.cnfJkt ? { token_type: 'DPoP' as const, cnf: { jkt: stored.cnfJkt } } : { token_type: 'Bearer' as const }),
    };
  }
}
