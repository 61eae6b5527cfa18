import { Module } from '@nestjs/common';
import { ClientAuthModule } from '../client-auth/client-auth.module';
import { ResourcesModule } from '../resources/resources.module';
import { TokensModule } from '../tokens/tokens.module';
import { DpopProofStep } from './dpop-proof.step';
import { PostgresDpopProofReplayRepository } from './dpop-proof-replay.repository';
import { DPOP_PROOF_REPLAY_REPOSITORY } from './dpop-proof-replay.repository.port';
import { ResourceIndicators } from './resource-indicators';
import { ClientCredentialsGrant } from './grants/client-credentials.grant';
import { GRANT_HANDLER_LIST } from './grants/grant';
import { GrantRegistry } from './grants/grant-registry';
import { TokenController } from './token.controller';
import { TokenPipeline } from './token-pipeline';

@Module({
  imports: [ClientAuthModule, TokensModule, ResourcesModule],
  controllers: [TokenController],
  providers: [
    ClientCredentialsGrant,
    { provide: GRANT_HANDLER_LIST, useFactory: (cc: ClientCredentialsGrant) => [cc], inject: [ClientCredentialsGrant] },
    GrantRegistry,
    TokenPipeline,
    DpopProofStep,
    { provide: DPOP_PROOF_REPLAY_REPOSITORY, useClass: PostgresDpopProofReplayRepository },
    ResourceIndicators,
  ],
  exports: [GrantRegistry],
})
export class TokenEndpointModule {}
