module.exports = {
  displayName: 'console',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/console',
  testTimeout: 30_000,
};
