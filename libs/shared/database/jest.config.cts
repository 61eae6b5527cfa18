module.exports = {
  displayName: 'database',
  preset: '../../../jest.preset.js',
  globalSetup: './src/testing/global-setup.ts',
  globalTeardown: './src/testing/global-teardown.ts',
  coverageDirectory: '../../../coverage/libs/shared/database',
};
