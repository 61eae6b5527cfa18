import { Module } from '@nestjs/common';
import { ClientAuthModule } from '../client-auth/client-auth.module';
import { TokensModule } from '../tokens/tokens.module';
import { RevocationController } from './revocation.controller';
import { RevocationService } from './revocation.service';

@Module({
  imports: [ClientAuthModule, TokensModule],
  controllers: [RevocationController],
  providers: [RevocationService],
})
export class RevocationModule {}
