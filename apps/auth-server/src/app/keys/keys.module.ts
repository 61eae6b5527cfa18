import { Module } from '@nestjs/common';
import { AUTH_SERVER_CONFIG, type AuthServerConfig } from '../config';
import { JwksController } from './jwks.controller';
import { KeyEncryption } from './key-encryption';
import { TypeOrmSigningKeyRepository } from './signing-key.repository';
import { SIGNING_KEY_REPOSITORY } from './signing-key.repository.port';
import { SigningKeyService } from './signing-key.service';

@Module({
  controllers: [JwksController],
  providers: [
    { provide: SIGNING_KEY_REPOSITORY, useClass: TypeOrmSigningKeyRepository },
    {
      provide: KeyEncryption,
      useFactory: (config: AuthServerConfig) =>
        new KeyEncryption(config.SIGNING_KEY_ENCRYPTION_KEY, config.SIGNING_KEY_ENCRYPTION_KEYS_PREVIOUS),
      inject: [AUTH_SERVER_CONFIG],
    },
    SigningKeyService,
  ],
  exports: [SigningKeyService],
})
export class KeysModule {}
