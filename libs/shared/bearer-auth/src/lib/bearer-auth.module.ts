import { DynamicModule, Module, Provider } from '@nestjs/common';
import {
  BEARER_AUTH_OPTIONS,
  resolveOptions,
  type BearerAuthAsyncOptions,
  type BearerAuthOptions,
  type ResolvedBearerAuthOptions,
} from './bearer-auth.options';
import { DpopProofVerifier } from './dpop/dpop-proof.verifier';
import { AudiencePolicy } from './guards/audience.policy';
import { BearerAuthGuard } from './guards/bearer-auth.guard';
import { BearerStrategy } from './guards/bearer.strategy';
import { ScopesGuard } from './guards/scopes.guard';
import { AuthorizationServerClient } from './metadata/authorization-server.client';
import { RevocationList } from './revocation/revocation-list';
import { IntrospectionTokenVerifier } from './verifiers/introspection-token.verifier';
import { JwtTokenVerifier } from './verifiers/jwt-token.verifier';
import { AutoVerifier, IntrospectionOnlyVerifier, JwtOnlyVerifier } from './verifiers/mode-verifiers';
import { TOKEN_VERIFIER, type TokenVerifier } from './verifiers/token-verifier';

const providers: Provider[] = [
  AuthorizationServerClient,
  RevocationList,
  JwtTokenVerifier,
  IntrospectionTokenVerifier,
  AutoVerifier,
  JwtOnlyVerifier,
  IntrospectionOnlyVerifier,
  {
    provide: TOKEN_VERIFIER,
    inject: [BEARER_AUTH_OPTIONS, AutoVerifier, JwtOnlyVerifier, IntrospectionOnlyVerifier],
    useFactory: (
      options: ResolvedBearerAuthOptions,
      auto: TokenVerifier,
      jwt: TokenVerifier,
      introspection: TokenVerifier,
    ): TokenVerifier => ({ auto, jwt, introspection })[options.mode],
  },
  BearerStrategy,
  AudiencePolicy,
  DpopProofVerifier,
  BearerAuthGuard,
  ScopesGuard,
];

const exported = [
  BEARER_AUTH_OPTIONS,
  DpopProofVerifier,
  AudiencePolicy,
  TOKEN_VERIFIER,
  AuthorizationServerClient,
  RevocationList,
  JwtTokenVerifier,
  IntrospectionTokenVerifier,
  BearerStrategy,
  BearerAuthGuard,
  ScopesGuard,
];

/**
 * Bearer-token protection for a resource server (RFC 6750), global once imported:
 * `BearerAuthModule.forRoot({ authServerUrl, mode })`, then `@RequireScopes('country.read')`
 * on routes and `@CurrentClient()` in handlers. See ADR 0003 for modes, caches and revocation.
 */
@Module({})
export class BearerAuthModule {
  static forRoot(options: BearerAuthOptions): DynamicModule {
    return {
      module: BearerAuthModule,
      global: true,
      providers: [{ provide: BEARER_AUTH_OPTIONS, useValue: resolveOptions(options) }, ...providers],
      exports: exported,
    };
  }

  static forRootAsync(options: BearerAuthAsyncOptions): DynamicModule {
    return {
      module: BearerAuthModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        {
          provide: BEARER_AUTH_OPTIONS,
          inject: options.inject ?? [],
          useFactory: async (...args: unknown[]) => resolveOptions(await options.useFactory(...args)),
        },
        ...providers,
      ],
      exports: exported,
    };
  }
}
