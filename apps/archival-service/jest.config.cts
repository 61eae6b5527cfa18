module.exports = {
  displayName: 'archival-service',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/archival-service',
};
