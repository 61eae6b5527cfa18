module.exports = {
  displayName: 'auth-server',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/auth-server',
};
