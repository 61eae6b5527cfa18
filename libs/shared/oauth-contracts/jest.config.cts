module.exports = {
  displayName: 'oauth-contracts',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/shared/oauth-contracts',
};
