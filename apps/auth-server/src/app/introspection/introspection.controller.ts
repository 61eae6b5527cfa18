import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBasicAuth, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { IntrospectionResponse } from '@playground/oauth-contracts';
import { ClientAuthenticator, type ClientAuthEndpoint } from '../client-auth/client-authenticator.service';
import { NoStore } from '../http/no-store';
import { IntrospectionService } from './introspection.service';

/** The token read confirms the caller in the same statement (TokenService.findForCaller). */
const INTROSPECTION_ENDPOINT: ClientAuthEndpoint = { path: '/oauth2/introspect', confirmsClient: true };

@ApiTags('oauth2')
@Controller('oauth2/introspect')
export class IntrospectionController {
  constructor(
    private readonly clientAuth: ClientAuthenticator,
    private readonly introspection: IntrospectionService,
  ) {}

  @Post()
  @HttpCode(200)
  @NoStore()
  @ApiOperation({ summary: 'RFC 7662 token introspection (callers: clients allowed to introspect)' })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBasicAuth()
  @ApiResponse({ status: 200, description: 'active token: active, sub, aud, nbf, scope, iss, exp, iat, jti, client_id, token_type; else {"active":false}' })
  @ApiResponse({ status: 401, description: 'invalid_client' })
  @ApiResponse({ status: 403, description: 'access_denied: the client may not introspect' })
  introspect(@Req() request: FastifyRequest): Promise<IntrospectionResponse> {
    return this.clientAuth.run(request, INTROSPECTION_ENDPOINT, (caller, params) => this.introspection.introspect(caller, params));
  }
}
