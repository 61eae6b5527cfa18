module.exports = {
  displayName: 'auth-server',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/auth-server',
  // One real PostgreSQL per Jest run; each e2e suite creates its own database in it.
  globalSetup: '../../libs/shared/database/src/testing/global-setup.ts',
  globalTeardown: '../../libs/shared/database/src/testing/global-teardown.ts',
  // argon2id, RSA key generation and Postgres make boots take seconds, not milliseconds.
  testTimeout: 30_000,
};
