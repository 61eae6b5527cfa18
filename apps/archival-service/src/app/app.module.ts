import { Global, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { DatabaseHealthModule, DatabaseModule } from '@playground/database';
import { loadConfig, loggerParams } from '@playground/http-kit';
import { TokenClientModule } from '@playground/token-client';
import { LoggerModule } from 'nestjs-pino';
import { ARCHIVAL_CONFIG, archivalConfigSchema, type ArchivalConfig } from './config';
import { MsSystemCountriesClient } from './countries/ms-system-countries.client';
import { CreateArchiveTables1763892000000 } from './migrations/1763892000000-create-archive-tables';
import { ArchiveRunEntity, ArchivedCountryEntity } from './runs/archive-run.entity';
import { ArchiveScheduler } from './runs/archive-scheduler.service';
import { RunProcessor } from './runs/run-processor.service';
import { RunsController } from './runs/runs.controller';
import { RunsRepository } from './runs/runs.repository';
import { RunsService } from './runs/runs.service';
import { MetricsModule } from '@playground/telemetry';

/** The configuration, validated once when the app is created (process.env at that moment). */
@Global()
@Module({
  providers: [{ provide: ARCHIVAL_CONFIG, useFactory: () => loadConfig(archivalConfigSchema) }],
  exports: [ARCHIVAL_CONFIG],
})
class ConfigModule {}

@Module({
  imports: [
    ConfigModule,
    MetricsModule, // GET <base path>/metrics (Prometheus)
    LoggerModule.forRoot(loggerParams('archival-service')),
    DatabaseModule.forService({
      schema: 'archival',
      entities: [ArchiveRunEntity, ArchivedCountryEntity],
      migrations: [CreateArchiveTables1763892000000],
    }),
    DatabaseHealthModule,
    ScheduleModule.forRoot(),
    TokenClientModule.registerAsync({
      inject: [ARCHIVAL_CONFIG],
      useFactory: (config: ArchivalConfig) => ({
        authServerUrl: config.authServerUrl,
        tokenEndpoint: config.tokenEndpoint,
        clientId: config.clientId,
        clientSecret: config.clientSecret,
        privateKeyJwt: config.privateKeyJwt,
        resource: config.resource,
        dpop: config.dpop,
        scope: config.scope,
        refreshSkewSeconds: config.refreshSkewSeconds,
        retry: config.retry,
        requestTimeoutMs: config.httpTimeoutMs,
      }),
    }),
  ],
  controllers: [RunsController],
  providers: [RunsRepository, RunProcessor, RunsService, ArchiveScheduler, MsSystemCountriesClient],
})
export class AppModule {}
