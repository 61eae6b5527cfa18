module.exports = {
  displayName: 'archival-service',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/archival-service',
  // The e2e specs run on a real PostgreSQL: one per Jest run, a fresh database per suite.
  globalSetup: '../../libs/shared/database/src/testing/global-setup.ts',
  globalTeardown: '../../libs/shared/database/src/testing/global-teardown.ts',
  setupFiles: ['<rootDir>/test/support/quiet-logs.ts'],
  testTimeout: 60_000,
  // @fastify/static (Swagger UI) pulls an ESM-only content-disposition; let SWC transpile it
  // along with the preset's ESM-only dependencies.
  transformIgnorePatterns: ['^(?!.*/node_modules/content-disposition/).*node_modules/(?!(jose|openid-client|oauth4webapi|p-retry|is-network-error)/)'],
};
