import { Module } from '@nestjs/common';
import { ClientAuthModule } from '../client-auth/client-auth.module';
import { TokensModule } from '../tokens/tokens.module';
import { IntrospectionController } from './introspection.controller';
import { IntrospectionService } from './introspection.service';

@Module({
  imports: [ClientAuthModule, TokensModule],
  controllers: [IntrospectionController],
  providers: [IntrospectionService],
  exports: [IntrospectionService],
})
export class IntrospectionModule {}
