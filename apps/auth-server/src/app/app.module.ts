import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { DatabaseHealthModule } from '@playground/database';
import { loggerParams } from '@playground/http-kit';
import { AuditModule } from './audit/audit.module';
import { CacheEventsModule } from './cache-events/cache-events.module';
import { ClientsModule } from './clients/clients.module';
import { ProductionSecretsGuard } from './clients/production-guard.service';
import { AuthServerConfigModule } from './config.module';
import { CatchAllContentTypeParser } from './http/form-content-types';
import { JanitorScheduleModule } from './janitor/janitor-schedule.module';
import { IntrospectionModule } from './introspection/introspection.module';
import { KeysModule } from './keys/keys.module';
import { MetadataModule } from './metadata/metadata.module';
import { authServerDatabase } from './persistence/persistence';
import { ResourcesModule } from './resources/resources.module';
import { RevocationModule } from './revocation/revocation.module';
import { RevocationsFeedModule } from './revocations-feed/revocations-feed.module';
import { TokenEndpointModule } from './token-endpoint/token-endpoint.module';
import { MetricsModule } from '@playground/telemetry';

/** The authorization server: one module per concern. */
@Module({
  imports: [
    // loggerParams picks the routes: every route (named wildcard, path-to-regexp 8 syntax) when
    // request lines are logged at all, none at warn and above (no per-request logger cost).
    LoggerModule.forRoot(loggerParams('auth-server')),
    AuthServerConfigModule,
    MetricsModule, // GET <base path>/metrics (Prometheus)
    authServerDatabase(),
    CacheEventsModule.forRoot({ listen: true }), // caches coherent across instances (ADR 0011)
    AuditModule,
    ClientsModule,
    KeysModule,
    ResourcesModule,
    TokenEndpointModule,
    IntrospectionModule,
    RevocationModule,
    RevocationsFeedModule,
    MetadataModule,
    JanitorScheduleModule, // deletes expired rows on JANITOR_CRON
    DatabaseHealthModule,
  ],
  providers: [CatchAllContentTypeParser, ProductionSecretsGuard],
})
export class AppModule {}
