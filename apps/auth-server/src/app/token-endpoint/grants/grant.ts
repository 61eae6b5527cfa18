import type { TokenResponse } from '@playground/oauth-contracts';
import type { RegisteredClient } from '../../clients/client';

export interface GrantContext {
  /** Already authenticated. */
  client: RegisteredClient;
  /** Only the parameters the grant declares (one string each, absent when not sent). */
  params: Record<string, string>;
  /** RFC 8707: the resources the token is meant for (already validated); undefined: none asked for. */
  audience?: string[];
  /** RFC 9449: thumbprint of the DPoP proof key the token is bound to; undefined: a bearer token. */
  jkt?: string;
}

/** One grant type. It knows no HTTP: an authenticated client in, a token response out. */
export interface GrantHandler {
  readonly grantType: string;
  /**
   * The form parameters this grant reads, besides `grant_type` and client authentication. The
   * token endpoint hands it those and nothing else (unknown parameters are ignored, RFC 6749 §3.2).
   */
  readonly parameters: readonly string[];
  handle(context: GrantContext): Promise<TokenResponse>;
}

export const GRANT_HANDLER_LIST = Symbol('GRANT_HANDLER_LIST');
