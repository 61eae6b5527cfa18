export * from './lib/app-process';
export { createTestDatabase, freePort, type TestDatabase } from '@playground/database/testing';
export * from './lib/fake-authorization-server';
export * from './lib/dpop-proofs';
export * from './lib/archive-run-json';
