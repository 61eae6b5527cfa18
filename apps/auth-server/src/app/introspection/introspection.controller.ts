import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBasicAuth, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IntrospectionResponse } from '@playground/oauth-contracts';
import { setNoStore } from '../http/no-store';
import { IntrospectionService } from './introspection.service';

@ApiTags('oauth2')
@Controller('oauth2/introspect')
export class IntrospectionController {
  constructor(private readonly introspection: IntrospectionService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'RFC 7662 token introspection (callers: clients allowed to introspect)' })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBasicAuth()
  @ApiResponse({ status: 200, description: 'active token: active, sub, aud, nbf, scope, iss, exp, iat, jti, client_id, token_type; else {"active":false}' })
  @ApiResponse({ status: 401, description: 'invalid_client' })
  @ApiResponse({ status: 403, description: 'access_denied: the client may not introspect' })
  async introspect(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<IntrospectionResponse> {
    const response = await this.introspection.introspect(request.headers, request.headers['content-type'], request.body);
    setNoStore(reply);
    return response;
  }
}
