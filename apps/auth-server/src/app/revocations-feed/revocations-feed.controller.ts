import { Controller, Get, Header, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { RevocationsFeedService, type RevocationsFeedResponse } from './revocations-feed.service';

@ApiTags('oauth2')
@Controller('oauth2/revocations')
export class RevocationsFeedController {
  constructor(private readonly feed: RevocationsFeedService) {}

  @Get()
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'JWT revocations after a cursor, for resource servers (client_secret_basic, may-introspect clients)' })
  @ApiQuery({
    name: 'after',
    required: false,
    description: 'cursor from the previous answer; omitted: all revocations of unexpired tokens',
  })
  @ApiBasicAuth()
  @ApiResponse({ status: 200, description: '{"revocations":[{"jti","exp"}],"cursor":"<string>"}' })
  @ApiResponse({ status: 401, description: 'invalid_client' })
  @ApiResponse({ status: 403, description: 'access_denied' })
  revocations(@Req() request: FastifyRequest, @Query('after') after: unknown): Promise<RevocationsFeedResponse> {
    return this.feed.feed(request.headers, after, request.ip);
  }

  @Post()
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'The same feed, form body: `after` plus any client authentication (private_key_jwt included)' })
  @ApiResponse({ status: 200, description: '{"revocations":[{"jti","exp"}],"cursor":"<string>"}' })
  @ApiResponse({ status: 401, description: 'invalid_client' })
  revocationsByForm(@Req() request: FastifyRequest): Promise<RevocationsFeedResponse> {
    return this.feed.feedByForm(request.headers, request.body, request.ip);
  }
}
