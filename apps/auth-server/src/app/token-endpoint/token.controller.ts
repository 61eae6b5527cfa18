import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBasicAuth, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { TokenResponse } from '@playground/oauth-contracts';
import { ClientAuthenticator, type ClientAuthEndpoint } from '../client-auth/client-authenticator.service';
import { NoStore } from '../http/no-store';
import { TokenPipeline } from './token-pipeline';

/** The token insert confirms the client in the same statement (TokenService.issue). */
const TOKEN_ENDPOINT: ClientAuthEndpoint = { path: '/oauth2/token', confirmsClient: true };

@ApiTags('oauth2')
@Controller('oauth2/token')
export class TokenController {
  constructor(
    private readonly clientAuth: ClientAuthenticator,
    private readonly pipeline: TokenPipeline,
  ) {}

  @Post()
  @HttpCode(200)
  @NoStore()
  @ApiOperation({ summary: 'RFC 6749 §4.4 client credentials grant' })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBasicAuth()
  @ApiResponse({ status: 200, description: '{"access_token","token_type":"Bearer","expires_in","scope"}, Cache-Control: no-store' })
  @ApiResponse({ status: 400, description: 'invalid_request, unauthorized_client, unsupported_grant_type, invalid_scope' })
  @ApiResponse({ status: 401, description: 'invalid_client' })
  token(@Req() request: FastifyRequest): Promise<TokenResponse> {
    return this.clientAuth.run(request, TOKEN_ENDPOINT, (client, params) => this.pipeline.run(client, params));
  }
}
