import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBasicAuth, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ClientAuthenticator, type ClientAuthEndpoint } from '../client-auth/client-authenticator.service';
import { NoStore } from '../http/no-store';
import { RevocationService } from './revocation.service';

/** Revocation does not confirm the caller in its statements: the caller is always read from Postgres. */
const REVOCATION_ENDPOINT: ClientAuthEndpoint = { path: '/oauth2/revoke' };

@ApiTags('oauth2')
@Controller('oauth2/revoke')
export class RevocationController {
  constructor(
    private readonly clientAuth: ClientAuthenticator,
    private readonly revocation: RevocationService,
  ) {}

  @Post()
  @HttpCode(200)
  @NoStore()
  @ApiOperation({ summary: 'RFC 7009 token revocation (by the client the token was issued to)' })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBasicAuth()
  @ApiResponse({ status: 200, description: 'empty body, whether or not anything was revoked' })
  @ApiResponse({ status: 400, description: 'invalid_request (missing token)' })
  @ApiResponse({ status: 401, description: 'invalid_client' })
  revoke(@Req() request: FastifyRequest): Promise<void> {
    return this.clientAuth.run(request, REVOCATION_ENDPOINT, (caller, params) => this.revocation.revoke(caller, params));
  }
}
