import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBasicAuth, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { setNoStore } from '../http/no-store';
import { RevocationService } from './revocation.service';

@ApiTags('oauth2')
@Controller('oauth2/revoke')
export class RevocationController {
  constructor(private readonly revocation: RevocationService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'RFC 7009 token revocation (by the client the token was issued to)' })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBasicAuth()
  @ApiResponse({ status: 200, description: 'empty body, whether or not anything was revoked' })
  @ApiResponse({ status: 400, description: 'invalid_request (missing token)' })
  @ApiResponse({ status: 401, description: 'invalid_client' })
  async revoke(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.revocation.revoke(request.headers, request.headers['content-type'], request.body);
    setNoStore(reply);
  }
}
