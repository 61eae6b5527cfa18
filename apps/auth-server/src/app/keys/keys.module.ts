import { Module } from '@nestjs/common';
import { AUTH_SERVER_CONFIG, type AuthServerConfig } from '../config';
import { JwksController } from './jwks.controller';
import { KeyEncryption } from './key-encryption';
import { SigningKeyService } from './signing-key.service';

@Module({
  controllers: [JwksController],
  providers: [
    {
      provide: KeyEncryption,
      useFactory: (config: AuthServerConfig) => new KeyEncryption(config.SIGNING_KEY_ENCRYPTION_KEY, config.SIGNING_KEY_ENCRYPTION_KEYS_PREVIOUS),
      inject: [AUTH_SERVER_CONFIG],
    },
    SigningKeyService,
  ],
  exports: [SigningKeyService],
})
export class KeysModule {}
