import { Module } from '@nestjs/common';
import { JwksController } from './jwks.controller';
import { TypeOrmSigningKeyRepository } from './signing-key.repository';
import { SIGNING_KEY_REPOSITORY } from './signing-key.repository.port';
import { SigningKeyService } from './signing-key.service';

@Module({
  controllers: [JwksController],
  providers: [{ provide: SIGNING_KEY_REPOSITORY, useClass: TypeOrmSigningKeyRepository }, SigningKeyService],
  exports: [SigningKeyService],
})
export class KeysModule {}
