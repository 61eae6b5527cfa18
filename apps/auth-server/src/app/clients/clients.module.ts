import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClientEntity } from '../persistence/entities';
import { ClientAdminService } from './client-admin.service';
import { ClientSeeder } from './client-seeder.service';
import { CLIENT_REPOSITORY, TypeOrmClientRepository } from './client.repository';
import { SecretHasher } from './secret-hasher';
import { SecretVerificationCache } from './secret-verification-cache';

/** Registered clients: storage, secrets, the verification cache, administration and the seed. */
@Module({
  imports: [TypeOrmModule.forFeature([ClientEntity])],
  providers: [
    { provide: CLIENT_REPOSITORY, useClass: TypeOrmClientRepository },
    SecretHasher,
    SecretVerificationCache,
    ClientAdminService,
    ClientSeeder,
  ],
  exports: [CLIENT_REPOSITORY, SecretHasher, SecretVerificationCache, ClientAdminService, ClientSeeder],
})
export class ClientsModule {}
