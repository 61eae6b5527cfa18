import { Module } from '@nestjs/common';
import { ClientAuthModule } from '../client-auth/client-auth.module';
import { TokensModule } from '../tokens/tokens.module';
import { RevocationController } from './revocation.controller';
import { RevocationService } from './revocation.service';
import { RevocationsFeedController } from './revocations-feed.controller';
import { RevocationsFeedService } from './revocations-feed.service';

@Module({
  imports: [ClientAuthModule, TokensModule],
  controllers: [RevocationController, RevocationsFeedController],
  providers: [RevocationService, RevocationsFeedService],
})
export class RevocationModule {}
