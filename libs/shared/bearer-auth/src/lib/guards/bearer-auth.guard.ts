import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { type AuthenticatedClient, BearerError, InvalidBearerRequestError, MissingBearerTokenError } from '@playground/oauth-contracts';
import { BEARER_STRATEGY } from './bearer.strategy';

interface RequestLike {
  query?: Record<string, unknown>;
  body?: unknown;
  user?: AuthenticatedClient;
}

/**
 * Authenticates the request with the bearer strategy and maps every outcome to RFC 6750 §3:
 * - no token → 401 `WWW-Authenticate: Bearer` without an error code (§3.1);
 * - malformed Authorization header, or a token in the URL/body → 400 `invalid_request`;
 * - a token that fails verification → 401 `invalid_token` (thrown by the verifier).
 * The ErrorResponseFilter of @playground/http-kit writes the header and the JSON body.
 */
@Injectable()
export class BearerAuthGuard extends AuthGuard(BEARER_STRATEGY) {
  override canActivate(context: ExecutionContext) {
    const request = context.switchToHttp().getRequest<RequestLike>();
    // RFC 6750 §2.3 tokens in the URL end up in logs and histories, and §2.2 form tokens are
    // unusual for an API; this resource server accepts the Authorization header only.
    if (has(request.query, 'access_token') || has(request.body, 'access_token')) {
      throw new InvalidBearerRequestError('send the access token in the Authorization header');
    }
    return super.canActivate(context);
  }

  override handleRequest<TUser = AuthenticatedClient>(error: unknown, user: unknown, _info: unknown, _context: ExecutionContext, status?: unknown): TUser {
    if (error instanceof BearerError) throw error;
    if (error) throw error;
    if (user) return user as TUser;
    // passport-http-bearer fails with 400 when the header is not exactly "<scheme> <token>".
    if (status === 400) throw new InvalidBearerRequestError('malformed Authorization header');
    throw new MissingBearerTokenError();
  }
}

function has(container: unknown, key: string): boolean {
  return typeof container === 'object' && container !== null && Object.prototype.hasOwnProperty.call(container, key);
}
