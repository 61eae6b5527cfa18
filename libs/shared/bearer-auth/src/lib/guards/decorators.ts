import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata, UseGuards } from '@nestjs/common';
import type { AuthenticatedClient } from '@playground/oauth-contracts';
import { BearerAuthGuard } from './bearer-auth.guard';
import { REQUIRED_SCOPES, ScopesGuard } from './scopes.guard';

/**
 * Protects a route (or a whole controller) with a bearer token holding all `scopes`.
 * `@RequireScopes()` with no scope only requires a valid token.
 */
export function RequireScopes(...scopes: string[]) {
  return applyDecorators(SetMetadata(REQUIRED_SCOPES, scopes), UseGuards(BearerAuthGuard, ScopesGuard));
}

/** The client the bearer token authenticated, in a handler of a protected route. */
export const CurrentClient = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedClient | undefined =>
    context.switchToHttp().getRequest<{ user?: AuthenticatedClient }>().user,
);
