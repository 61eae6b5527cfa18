import { Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module';
import { TOKEN_FORMAT_LIST } from './token-format';
import { JwtTokenFormat } from './token-formats/jwt.format';
import { OpaqueTokenFormat } from './token-formats/opaque.format';
import { TypeOrmTokenRepository } from './token.repository';
import { TOKEN_REPOSITORY } from './token.repository.port';
import { TokenService } from './token.service';

/** Token formats, token storage and the service that issues and finds tokens. */
@Module({
  imports: [KeysModule],
  providers: [
    OpaqueTokenFormat,
    JwtTokenFormat,
    {
      provide: TOKEN_FORMAT_LIST,
      useFactory: (opaque: OpaqueTokenFormat, jwt: JwtTokenFormat) => [opaque, jwt],
      inject: [OpaqueTokenFormat, JwtTokenFormat],
    },
    { provide: TOKEN_REPOSITORY, useClass: TypeOrmTokenRepository },
    TokenService,
  ],
  exports: [TokenService, TOKEN_REPOSITORY],
})
export class TokensModule {}
