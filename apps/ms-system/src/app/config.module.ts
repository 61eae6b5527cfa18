import { Global, Module } from '@nestjs/common';
import { loadMsSystemConfig, MS_SYSTEM_CONFIG } from './config';

/** The validated configuration, read once at boot, injectable as MS_SYSTEM_CONFIG. */
@Global()
@Module({
  providers: [{ provide: MS_SYSTEM_CONFIG, useFactory: () => loadMsSystemConfig() }],
  exports: [MS_SYSTEM_CONFIG],
})
export class MsSystemConfigModule {}
