import { Global, Module, type DynamicModule } from '@nestjs/common';
import { CACHE_EVENTS, CACHE_EVENTS_LISTEN } from './cache-events.port';
import { PgCacheEvents } from './cache-events.repository';

/**
 * Cache coherence between auth-server processes (ADR 0011). Global because the caches it serves
 * live in several modules (client secrets, signing keys).
 */
@Global()
@Module({})
export class CacheEventsModule {
  /**
   * `listen`: hold one LISTEN connection (servers). The admin CLI only publishes: it caches
   * nothing worth keeping and must exit when its command is done.
   */
  static forRoot({ listen }: { listen: boolean }): DynamicModule {
    return {
      module: CacheEventsModule,
      providers: [
        { provide: CACHE_EVENTS_LISTEN, useValue: listen },
        { provide: CACHE_EVENTS, useClass: PgCacheEvents },
      ],
      exports: [CACHE_EVENTS],
    };
  }
}
