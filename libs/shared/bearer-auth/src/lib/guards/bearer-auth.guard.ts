import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { BearerError, type AuthenticatedClient } from '@playground/oauth-contracts';
import { TOKEN_VERIFIER, type TokenVerifier } from '../verifiers/token-verifier';

interface RequestLike {
  headers?: Record<string, string | string[] | undefined>;
  query?: Record<string, unknown>;
  body?: unknown;
  user?: AuthenticatedClient;
}

/** RFC 6750 §2.1 / RFC 9110 §11.1: the auth scheme is case-insensitive. */
const BEARER_SCHEME = /^Bearer$/i;

/**
 * Authenticates the request from its `Authorization: Bearer <token>` header and maps every
 * outcome to RFC 6750 §3:
 * - no token → 401 `WWW-Authenticate: Bearer` without an error code (§3.1);
 * - malformed Authorization header, or a token in the URL/body → 400 `invalid_request`;
 * - a token that fails verification → 401 `invalid_token` (thrown by the verifier).
 * The ErrorResponseFilter of @playground/http-kit writes the header and the JSON body.
 *
 * A plain guard, not passport: passport-http-bearer's strategy, Nest's AuthGuard wrapper and
 * passport's callback chain cost ~12 % of a cached resource-server request (ADR 0006) and only
 * ever did the header split below. The parsing is passport-http-bearer's, rule for rule.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(@Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestLike>();
    // RFC 6750 §2.3 tokens in the URL end up in logs and histories, and §2.2 form tokens are
    // unusual for an API; this resource server accepts the Authorization header only.
    if (has(request.query, 'access_token') || has(request.body, 'access_token')) {
      throw BearerError.invalidRequest('send the access token in the Authorization header');
    }
    request.user = await this.verifier.verify(bearerToken(request.headers?.['authorization']));
    return true;
  }
}

/**
 * The token of an `Authorization: <scheme> <token>` header, as passport-http-bearer read it:
 * absent/empty header or another scheme → no token (401 without an error code); anything but
 * exactly two space-separated parts → 400 `invalid_request`.
 */
export function bearerToken(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) throw BearerError.missingToken();
  const parts = value.split(' ');
  if (parts.length !== 2) throw BearerError.invalidRequest('malformed Authorization header');
  if (!BEARER_SCHEME.test(parts[0]) || !parts[1]) throw BearerError.missingToken();
  return parts[1];
}

function has(container: unknown, key: string): boolean {
  return typeof container === 'object' && container !== null && Object.prototype.hasOwnProperty.call(container, key);
}
