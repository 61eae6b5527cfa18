module.exports = {
  displayName: 'ms-system',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/ms-system',
  // The e2e suites boot the app on a real PostgreSQL (one per Jest run, a database per suite).
  globalSetup: '../../libs/shared/database/src/testing/global-setup.ts',
  globalTeardown: '../../libs/shared/database/src/testing/global-teardown.ts',
  testTimeout: 30_000,
  setupFiles: ['<rootDir>/test/support/quiet-logs.ts'],
};
