module.exports = {
  displayName: 'token-client',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/shared/token-client',
};
