export * from './lib/client-secret-basic';
export * from './lib/dpop-key';
export * from './lib/errors';
export * from './lib/private-key-jwt';
export * from './lib/retry';
export * from './lib/token-manager';
export * from './lib/token-client.module';
