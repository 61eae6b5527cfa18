export * from './lib/bearer-auth.module';

