import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClientSecretsModule } from '../client-auth/client-secrets.module';
import { ClientEntity } from '../persistence/entities';
import { ClientAdminService } from './client-admin.service';
import { ClientSeeder } from './client-seeder.service';
import { TypeOrmClientRepository } from './client.repository';
import { CLIENT_REPOSITORY } from './client.repository.port';

/** Registered clients: storage, administration and the seed. */
@Module({
  imports: [TypeOrmModule.forFeature([ClientEntity]), ClientSecretsModule],
  providers: [{ provide: CLIENT_REPOSITORY, useClass: TypeOrmClientRepository }, ClientAdminService, ClientSeeder],
  exports: [CLIENT_REPOSITORY, ClientAdminService, ClientSeeder],
})
export class ClientsModule {}
