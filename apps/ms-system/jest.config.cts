module.exports = {
  displayName: 'ms-system',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/ms-system',
};
