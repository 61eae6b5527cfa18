export * from './lib/postgres-server';
export * from './lib/database.module';
export * from './lib/health/database-health.module';
export * from './lib/pg-pool';
export * from './lib/storable-text';
export * from './lib/batch-while-busy';
