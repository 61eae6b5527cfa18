import { Module } from '@nestjs/common';
import { PostgresDpopReplayCache } from './postgres-dpop-replay-cache';

/** What ms-system adds to the bearer-auth lib: the shared DPoP replay store (ADR 0007). */
@Module({
  providers: [PostgresDpopReplayCache],
  exports: [PostgresDpopReplayCache],
})
export class ProtectionModule {}
