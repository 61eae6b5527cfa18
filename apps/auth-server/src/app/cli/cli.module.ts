import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CacheEventsModule } from '../cache-events/cache-events.module';
import { ClientsModule } from '../clients/clients.module';
import { AuthServerConfigModule } from '../config.module';
import { JanitorModule } from '../janitor/janitor.module';
import { KeysModule } from '../keys/keys.module';
import { authServerDatabase } from '../persistence/persistence';
import { ResourcesModule } from '../resources/resources.module';

/** What the admin CLI needs: the database (migrated, seeded), clients, keys and the janitor. No HTTP. */
@Module({
  imports: [
    AuthServerConfigModule,
    authServerDatabase(),
    CacheEventsModule.forRoot({ listen: false }),
    AuditModule,
    ClientsModule,
    KeysModule,
    ResourcesModule,
    JanitorModule,
  ],
})
export class CliModule {}
