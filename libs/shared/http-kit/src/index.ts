export * from './lib/http-kit.module';

