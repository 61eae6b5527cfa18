import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type AuthenticatedClient, InsufficientScopeError, MissingBearerTokenError } from '@playground/oauth-contracts';

export const REQUIRED_SCOPES = 'playground:required-scopes';

/**
 * Runs after BearerAuthGuard: the authenticated client must hold every required scope, else
 * 403 `insufficient_scope` with `scope="…"` naming what the resource needs (RFC 6750 §3.1).
 */
@Injectable()
export class ScopesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_SCOPES, [context.getHandler(), context.getClass()]) ?? [];
    const client = context.switchToHttp().getRequest<{ user?: AuthenticatedClient }>().user;
    if (!client) throw new MissingBearerTokenError();
    if (required.some((scope) => !client.scopes.includes(scope))) throw new InsufficientScopeError(required.join(' '));
    return true;
  }
}
