export * from './lib/oauth-contracts.module';

