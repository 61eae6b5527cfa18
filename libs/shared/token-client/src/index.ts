export * from './lib/token-client.module';

