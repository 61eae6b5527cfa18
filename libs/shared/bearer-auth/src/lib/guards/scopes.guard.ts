import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InsufficientScopeError, MissingBearerTokenError } from '@playground/oauth-contracts';
import { BEARER_AUTH_OPTIONS, challengeParameters, type ResolvedBearerAuthOptions } from '../bearer-auth.options';
import type { ProtectedRequest } from './bearer-auth.guard';

export const REQUIRED_SCOPES = 'playground:required-scopes';

/**
 * Runs after BearerAuthGuard: the authenticated client must hold every required scope, else
 * 403 `insufficient_scope` with `scope="…"` naming what the resource needs (RFC 6750 §3.1).
 */
@Injectable()
export class ScopesGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(BEARER_AUTH_OPTIONS) private readonly options: ResolvedBearerAuthOptions,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const required =
      this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_SCOPES, [context.getHandler(), context.getClass()]) ?? [];
    const request = context.switchToHttp().getRequest<ProtectedRequest>();
    const client = request.user;
    if (!client) throw new MissingBearerTokenError().advertise(challengeParameters(this.options));
    if (required.some((scope) => !client.scopes.includes(scope))) {
      throw new InsufficientScopeError(required.join(' '))
        .onScheme(request.authScheme ?? 'Bearer')
        .advertise(challengeParameters(this.options));
    }
    return true;
  }
}
