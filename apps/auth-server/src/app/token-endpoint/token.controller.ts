import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBasicAuth, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TokenResponse } from '@playground/oauth-contracts';
import { setNoStore } from '../http/no-store';
import { TokenPipeline } from './token-pipeline';

@ApiTags('oauth2')
@Controller('oauth2/token')
export class TokenController {
  constructor(private readonly pipeline: TokenPipeline) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'RFC 6749 §4.4 client credentials grant' })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBasicAuth()
  @ApiResponse({ status: 200, description: '{"access_token","token_type":"Bearer"|"DPoP","expires_in","scope"}, Cache-Control: no-store' })
  @ApiResponse({ status: 400, description: 'invalid_request, unauthorized_client, unsupported_grant_type, invalid_scope, invalid_target, invalid_dpop_proof' })
  @ApiResponse({ status: 401, description: 'invalid_client' })
  async token(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<TokenResponse> {
    const requestUrl = `${request.protocol}://${request.host}${request.url.split('?')[0]}`;
    const response = await this.pipeline.run({ headers: request.headers, body: request.body, requestUrl });
    setNoStore(reply);
    return response;
  }
}
