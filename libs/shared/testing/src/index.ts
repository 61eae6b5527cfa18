export * from './lib/testing.module';

