export * from './lib/oauth-attributes';
export * from './lib/oauth-metrics';
export * from './lib/oauth-telemetry';
export * from './lib/metrics.module';
export * from './lib/span-redaction';
