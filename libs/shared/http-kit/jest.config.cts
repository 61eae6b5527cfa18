module.exports = {
  displayName: 'http-kit',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/shared/http-kit',
};
