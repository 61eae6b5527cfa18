import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthorizationServerMetadata } from '@playground/oauth-contracts';
import { MetadataService } from './metadata.service';

@ApiTags('discovery')
@Controller('.well-known/oauth-authorization-server')
export class MetadataController {
  constructor(private readonly metadata: MetadataService) {}

  @Get()
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({
    summary: 'RFC 8414 metadata (also at /.well-known/oauth-authorization-server/ms-auth-server, outside the base path)',
  })
  @ApiOkResponse({ description: 'issuer, endpoints, supported grants, auth methods and scopes' })
  get(): Promise<AuthorizationServerMetadata> {
    return this.metadata.metadata();
  }
}
