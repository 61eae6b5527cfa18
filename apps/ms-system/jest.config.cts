module.exports = {
  displayName: 'ms-system',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/ms-system',
  // The e2e suites boot the app on a real PostgreSQL (one per Jest run, a database per suite).
  globalSetup: '../../libs/shared/database/src/testing/global-setup.ts',
  globalTeardown: '../../libs/shared/database/src/testing/global-teardown.ts',
  testTimeout: 30_000,
  setupFiles: ['<rootDir>/test/support/quiet-logs.ts'],
  // Swagger UI needs @fastify/static, whose nested content-disposition ships ES modules only:
  // transpile it for Jest as the preset does for jose & co.
  transformIgnorePatterns: [
    'node_modules/(?!(jose|openid-client|oauth4webapi|p-retry|is-network-error|content-disposition|@fastify/static/node_modules/content-disposition)/)',
  ],
};
