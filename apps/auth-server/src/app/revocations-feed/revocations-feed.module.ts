import { Module } from '@nestjs/common';
import { ClientAuthModule } from '../client-auth/client-auth.module';
import { TokensModule } from '../tokens/tokens.module';
import { RevocationsFeedController } from './revocations-feed.controller';
import { RevocationsFeedService } from './revocations-feed.service';

/** The JWT revocations feed for resource servers (ADR 0002): read side of revocation. */
@Module({
  imports: [ClientAuthModule, TokensModule],
  controllers: [RevocationsFeedController],
  providers: [RevocationsFeedService],
})
export class RevocationsFeedModule {}
