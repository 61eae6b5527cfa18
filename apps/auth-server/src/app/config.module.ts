import { Global, Module } from '@nestjs/common';
import { AUTH_SERVER_CONFIG, loadAuthServerConfig } from './config';

/** The validated configuration, read once at boot, injectable as AUTH_SERVER_CONFIG. */
@Global()
@Module({
  providers: [{ provide: AUTH_SERVER_CONFIG, useFactory: () => loadAuthServerConfig() }],
  exports: [AUTH_SERVER_CONFIG],
})
export class AuthServerConfigModule {}
