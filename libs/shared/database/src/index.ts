export * from './lib/postgres-server';
export * from './lib/database.module';
export * from './lib/storable-text';
