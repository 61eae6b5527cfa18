import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBasicAuth, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { TokenResponse } from '@playground/oauth-contracts';
import { ClientAuthenticator, type ClientAuthEndpoint } from '../client-auth/client-authenticator.service';
import { NoStore } from '../http/no-store';
import { TokenPipeline } from './token-pipeline';

/** The token insert confirms the client in the same statement (TokenService.issue). */
const TOKEN_ENDPOINT: ClientAuthEndpoint = { path: '/oauth2/token', confirmsClient: true, repeatable: ['resource'] };

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
  @ApiResponse({ status: 200, description: '{"access_token","token_type":"Bearer"|"DPoP","expires_in","scope"}, Cache-Control: no-store' })
  @ApiResponse({ status: 400, description: 'invalid_request, unauthorized_client, unsupported_grant_type, invalid_scope, invalid_target, invalid_dpop_proof' })
  @ApiResponse({ status: 401, description: 'invalid_client' })
  async token(@Req() request: FastifyRequest): Promise<TokenResponse> {
    const requestUrl = `${request.protocol}://${request.host}${request.url.split('?')[0]}`;
    const extras = await this.pipeline.prepare({ headers: request.headers, body: request.body, requestUrl });
    return this.clientAuth.run(request, TOKEN_ENDPOINT, (client, params) => this.pipeline.run(client, params, extras));
  }
}
