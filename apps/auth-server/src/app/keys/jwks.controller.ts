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
  @ApiOperation({ summary: 'RFC 7517 JWK Set: the public keys (RSA, EC P-256, Ed25519) that verify JWT access tokens' })
  @ApiOkResponse({ description: '{"keys":[{"kty","kid","use","alg", and n,e (RSA) | crv,x,y (EC) | crv,x (OKP)}]}' })
  jwks(): Promise<{ keys: PublicJwk[] }> {
    return this.keys.jwks();
  }
}
