import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SigningKeyService, type PublicJwk } from './signing-key.service';

@ApiTags('keys')
@Controller('oauth2/jwks')
export class JwksController {
  constructor(private readonly keys: SigningKeyService) {}

  @Get()
  // Resource servers refetch on an unknown kid; a short cache keeps rotations visible quickly.
  @Header('cache-control', 'public, max-age=60')
  @ApiOperation({ summary: 'RFC 7517 JWK Set: public RSA keys that verify JWT access tokens' })
  @ApiOkResponse({ description: '{"keys":[{"kty","kid","use","alg","n","e"}]}' })
  jwks(): Promise<{ keys: PublicJwk[] }> {
    return this.keys.jwks();
  }
}
