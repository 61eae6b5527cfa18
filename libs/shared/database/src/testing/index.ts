// Test-only entry point (`@playground/database/testing`): a real PostgreSQL for Jest suites.
export * from './free-port';
export * from './test-database';
