import { readFileSync } from 'node:fs';
import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { BearerAuthModule, InMemoryDpopReplayCache } from '@playground/bearer-auth';
import { DatabaseHealthModule, DatabaseModule } from '@playground/database';
import { loggerParams } from '@playground/http-kit';
import { CountriesModule } from './countries/countries.module';
import { Country } from './countries/country.entity';
import { CreateCountries1732300000000 } from './countries/migrations/1732300000000-create-countries';
import { MS_SYSTEM_CONFIG, type MsSystemConfig } from './config';
import { MsSystemConfigModule } from './config.module';
import { ProtectionModule } from './protection/protection.module';
import { DpopProofs1764420000000 } from './protection/migrations/1764420000000-dpop-proofs';
import { PostgresDpopReplayCache } from './protection/dpop-proof.repository';
import { protectedResourceMetadataUrl, ProtectedResourceMetadataRoute } from './protection/protected-resource-metadata';
import { MetricsModule } from '@playground/telemetry';

@Module({
  imports: [
    LoggerModule.forRoot(loggerParams('ms-system')),
    MsSystemConfigModule,
    MetricsModule, // GET <base path>/metrics (Prometheus)
    DatabaseModule.forService({
      schema: 'ms_system',
      entities: [Country],
      migrations: [CreateCountries1732300000000, DpopProofs1764420000000],
    }),
    ProtectionModule,
    BearerAuthModule.forRootAsync({
      imports: [ProtectionModule],
      inject: [MS_SYSTEM_CONFIG, PostgresDpopReplayCache],
      useFactory: (config: MsSystemConfig, postgresReplayCache: PostgresDpopReplayCache) => ({
        authServerUrl: config.AUTH_SERVER_URL,
        mode: config.TOKEN_VALIDATION_MODE,
        introspection: {
          clientId: config.INTROSPECTION_CLIENT_ID,
          clientSecret: config.INTROSPECTION_CLIENT_SECRET,
          ...(config.INTROSPECTION_AUTH_METHOD === 'private_key_jwt'
            ? { privateKeyJwt: { privateJwk: JSON.parse(readFileSync(config.INTROSPECTION_PRIVATE_KEY_FILE, 'utf8')) } }
            : {}),
          cacheTtlSeconds: config.INTROSPECTION_CACHE_TTL_SECONDS,
        },
        revocation: { pollIntervalSeconds: config.REVOCATION_POLL_INTERVAL_SECONDS },
        jwt: { jwksMaxAgeSeconds: config.JWKS_MAX_AGE_SECONDS },
        resource: config.MS_SYSTEM_RESOURCE,
        requireAudience: config.REQUIRE_AUDIENCE,
        resourceMetadataUrl: protectedResourceMetadataUrl(config.MS_SYSTEM_RESOURCE),
        dpop: { replayCache: config.DPOP_REPLAY_STORE === 'postgres' ? postgresReplayCache : new InMemoryDpopReplayCache() },
      }),
    }),
    CountriesModule,
    // Health checks the database only, not the auth-server: see DatabaseHealthController.
    DatabaseHealthModule,
  ],
  providers: [ProtectedResourceMetadataRoute],
})
export class AppModule {}
