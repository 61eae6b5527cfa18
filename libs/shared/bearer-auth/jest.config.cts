module.exports = {
  displayName: 'bearer-auth',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/shared/bearer-auth',
};
