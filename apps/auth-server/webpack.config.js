const appWebpackConfig = require('../../tools/webpack/app-config');

module.exports = appWebpackConfig('auth-server', {
  // The client admin CLI (`npm run clients -- …`), built beside the server.
  additionalEntryPoints: [{ entryName: 'cli', entryPath: './src/cli.ts' }],
});
