// Cross-service e2e: the built apps run as separate Node processes on loopback, on a real
// PostgreSQL, and the tests talk to them over HTTP only.
module.exports = {
  displayName: 'playground-e2e',
  preset: '../../jest.preset.js',
  testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
  globalSetup: '../../libs/shared/database/src/testing/global-setup.ts',
  globalTeardown: '../../libs/shared/database/src/testing/global-teardown.ts',
  testTimeout: 60_000,
  // Each suite starts its own set of processes; two at a time is what 2 cores carry.
  maxWorkers: 2,
};
