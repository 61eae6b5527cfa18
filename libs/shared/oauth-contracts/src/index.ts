export * from './lib/protocol-error';
export * from './lib/oauth-error';
export * from './lib/bearer-error';
export * from './lib/wire';
