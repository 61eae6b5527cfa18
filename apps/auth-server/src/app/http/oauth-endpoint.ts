import { Controller, HttpCode, Inject, Post, Req, type Type } from '@nestjs/common';
import { ApiBasicAuth, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ClientAuthenticator } from '../client-auth/client-authenticator.service';
import type { RegisteredClient } from '../clients/client';
import { NoStore } from './no-store';

/** How one OAuth endpoint that takes a form and authenticates its client is declared. */
export interface OAuthEndpointSpec<S, T, P = undefined> {
  /** Route under the base path, e.g. `oauth2/token`. */
  path: string;
  /**
   * True when the endpoint's own steps confirm `enabled AND secret_version` in the statement that
   * acts for the client (see ClientAuthEndpoint): a recent verification may then answer.
   */
  confirmsClient?: boolean;
  /** Parameters a spec lets repeat (the token endpoint's RFC 8707 `resource`), read by `prepare`. */
  repeatable?: readonly string[];
  /**
   * A step that runs once per request before client authentication (whose retry would run
   * `run` again): the token endpoint's DPoP proof, whose jti may be spent only once.
   */
  prepare?(steps: S, request: FastifyRequest): Promise<P>;
  /** OpenAPI: what the endpoint does, and what each status means here. */
  summary: string;
  responses: Record<number, string>;
  /** The provider holding the endpoint's own steps, and how to run them. */
  steps: Type<S>;
  run(steps: S, client: RegisteredClient, params: Record<string, string>, prepared: P): Promise<T>;
}

/**
 * The one shape of the token, introspection and revocation endpoints (node-oidc-provider's
 * actions reuse one `client_auth` the same way): `POST <path>`, then
 *
 *   form → authenticated client (ClientAuthenticator.run) → the endpoint's own steps
 *
 * answered 200 with `no-store` (errors go through the one ErrorResponseFilter). An endpoint is a
 * class extending what this returns; its file says only what is its own.
 */
export function OAuthEndpointController<S, T, P = undefined>(spec: OAuthEndpointSpec<S, T, P>) {
  const endpoint = { path: `/${spec.path}`, confirmsClient: spec.confirmsClient, repeatable: spec.repeatable };

  @ApiTags('oauth2')
  @Controller(spec.path)
  class OAuthEndpoint {
    constructor(
      @Inject(ClientAuthenticator) readonly clientAuth: ClientAuthenticator,
      @Inject(spec.steps) readonly steps: S,
    ) {}

    @Post()
    @HttpCode(200)
    @NoStore()
    @ApiOperation({ summary: spec.summary })
    @ApiConsumes('application/x-www-form-urlencoded')
    @ApiBasicAuth()
    async handle(@Req() request: FastifyRequest): Promise<T> {
      const prepared = (spec.prepare ? await spec.prepare(this.steps, request) : undefined) as P;
      const http = { headers: request.headers, body: request.body, sourceAddress: request.ip };
      return this.clientAuth.run(http, endpoint, (client, params) => spec.run(this.steps, client, params, prepared));
    }
  }
  const handle = Object.getOwnPropertyDescriptor(OAuthEndpoint.prototype, 'handle') as PropertyDescriptor;
  for (const [status, description] of Object.entries(spec.responses)) {
    ApiResponse({ status: Number(status), description })(OAuthEndpoint.prototype, 'handle', handle);
  }
  return OAuthEndpoint;
}
