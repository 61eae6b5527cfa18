module.exports = {
  displayName: 'archival-service',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/archival-service',
  // The e2e specs run on a real PostgreSQL: one per Jest run, a fresh database per suite.
  globalSetup: '../../libs/shared/database/src/testing/global-setup.ts',
  globalTeardown: '../../libs/shared/database/src/testing/global-teardown.ts',
  setupFiles: ['<rootDir>/test/support/quiet-logs.ts'],
  testTimeout: 60_000,
};
