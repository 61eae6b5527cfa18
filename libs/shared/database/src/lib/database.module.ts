import { DynamicModule, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSourceOptions, EntitySchema, MixedList } from 'typeorm';
import { acquirePostgres, ensureSchema, PostgresServer } from './postgres-server';

export interface DatabaseModuleOptions {
  /** The Postgres schema this service owns; it never reads another service's schema. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  /** Connection pool size per service. */
  poolSize?: number;
}

export const POSTGRES_SERVER = Symbol('POSTGRES_SERVER');

@Injectable()
class PostgresLifecycle implements OnApplicationShutdown {
  constructor(@Inject(POSTGRES_SERVER) private readonly server: PostgresServer) {}

  async onApplicationShutdown(): Promise<void> {
    // Runs after TypeORM has closed its pool, so the embedded server stops cleanly.
    await this.server.stop();
  }
}

/**
 * Postgres for one service: acquires the server (external or embedded), creates the service's
 * schema and runs its TypeORM migrations at boot. `synchronize` is never used: the schema is
 * what the migrations say, in every environment.
 */
@Module({})
export class DatabaseModule {
  static forService(options: DatabaseModuleOptions): DynamicModule {
    const logger = new Logger('Database');
    const serverProvider = {
      provide: POSTGRES_SERVER,
      useFactory: () => acquirePostgres({ log: (line) => logger.log(line) }),
    };
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          imports: [DatabaseServerModule.register(serverProvider)],
          inject: [POSTGRES_SERVER],
          useFactory: async (server: PostgresServer): Promise<DataSourceOptions> => {
            await ensureSchema(server.url, options.schema);
            return {
              type: 'postgres',
              url: server.url,
              schema: options.schema,
              entities: options.entities,
              migrations: options.migrations,
              migrationsRun: true,
              migrationsTransactionMode: 'each',
              synchronize: false,
              // search_path = the service's schema only: unqualified SQL (migrations included)
              // lands there, and another service's tables are not even visible by accident.
              extra: { max: options.poolSize ?? 10, options: `-c search_path=${options.schema}` },
            };
          },
        }),
      ],
      providers: [PostgresLifecycle],
      exports: [TypeOrmModule],
    };
  }
}

@Module({})
class DatabaseServerModule {
  static register(provider: { provide: symbol; useFactory: () => Promise<PostgresServer> }): DynamicModule {
    return { module: DatabaseServerModule, global: true, providers: [provider], exports: [provider] };
  }
}
