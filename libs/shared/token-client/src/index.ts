export * from './lib/client-secret-basic';
export * from './lib/errors';
export * from './lib/retry';
export * from './lib/token-manager';
export * from './lib/token-client.module';
