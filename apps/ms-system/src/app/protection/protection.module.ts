import { Module } from '@nestjs/common';
import { PostgresDpopReplayCache } from './dpop-proof.repository';

/** What ms-system adds to the bearer-auth lib: the shared DPoP replay store (ADR 0007). */
@Module({
  providers: [PostgresDpopReplayCache],
  exports: [PostgresDpopReplayCache],
})
export class ProtectionModule {}
