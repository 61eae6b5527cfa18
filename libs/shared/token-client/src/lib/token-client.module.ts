import { DynamicModule, Logger, Module, type ModuleMetadata } from '@nestjs/common';
import { ClientCredentialsTokenManager, type TokenManagerOptions } from './token-manager';

export interface TokenClientModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inject?: any[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  useFactory: (...args: any[]) => TokenManagerOptions | Promise<TokenManagerOptions>;
}

/**
 * Provides one {@link ClientCredentialsTokenManager} per app (one token shared by every caller),
 * logging through Nest's logger (pino in the apps). Inject the class itself.
 */
@Module({})
export class TokenClientModule {
  static registerAsync(options: TokenClientModuleAsyncOptions): DynamicModule {
    return {
      module: TokenClientModule,
      imports: options.imports ?? [],
      providers: [
        {
          provide: ClientCredentialsTokenManager,
          inject: options.inject ?? [],
          useFactory: async (...args: unknown[]) => {
            const config = await options.useFactory(...args);
            return new ClientCredentialsTokenManager({ logger: new Logger('TokenManager'), ...config });
          },
        },
      ],
      exports: [ClientCredentialsTokenManager],
    };
  }
}
