import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { BearerAuthModule } from '@playground/bearer-auth';
import { DatabaseHealthModule, DatabaseModule } from '@playground/database';
import { loggerParams } from '@playground/http-kit';
import { CountriesModule } from './countries/countries.module';
import { Country } from './countries/country.entity';
import { CreateCountries1732300000000 } from './countries/migrations/1732300000000-create-countries';
import { MS_SYSTEM_CONFIG, type MsSystemConfig } from './config';
import { MsSystemConfigModule } from './config.module';
import { MetricsModule } from '@playground/telemetry';

@Module({
  imports: [
    LoggerModule.forRoot(loggerParams('ms-system')),
    MsSystemConfigModule,
    MetricsModule, // GET <base path>/metrics (Prometheus)
    DatabaseModule.forService({ schema: 'ms_system', entities: [Country], migrations: [CreateCountries1732300000000] }),
    BearerAuthModule.forRootAsync({
      inject: [MS_SYSTEM_CONFIG],
      useFactory: (config: MsSystemConfig) => ({
        authServerUrl: config.AUTH_SERVER_URL,
        mode: config.TOKEN_VALIDATION_MODE,
        introspection: {
          clientId: config.INTROSPECTION_CLIENT_ID,
          clientSecret: config.INTROSPECTION_CLIENT_SECRET,
          cacheTtlSeconds: config.INTROSPECTION_CACHE_TTL_SECONDS,
        },
        revocation: { pollIntervalSeconds: config.REVOCATION_POLL_INTERVAL_SECONDS },
        jwt: { jwksMaxAgeSeconds: config.JWKS_MAX_AGE_SECONDS },
      }),
    }),
    CountriesModule,
    // Health checks the database only, not the auth-server: see DatabaseHealthController.
    DatabaseHealthModule,
  ],
})
export class AppModule {}
