export * from './lib/protocol-error';
export * from './lib/oauth-error';
export * from './lib/bearer-error';
export * from './lib/wire';
export * from './lib/temporarily-unavailable.error';
export * from './lib/authorization-header';
