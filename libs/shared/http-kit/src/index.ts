export * from './lib/config';
export * from './lib/create-app';
export * from './lib/error-response.filter';
export * from './lib/logging';
export * from './lib/run-app';
