import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { TokenEndpointModule } from '../token-endpoint/token-endpoint.module';
import { MetadataController } from './metadata.controller';
import { MetadataService } from './metadata.service';
import { RootWellKnownRoute } from './root-well-known.route';

@Module({
  imports: [ClientsModule, TokenEndpointModule],
  controllers: [MetadataController],
  providers: [MetadataService, RootWellKnownRoute],
})
export class MetadataModule {}
