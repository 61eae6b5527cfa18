const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');
const modernSwcOutput = require('../../tools/webpack/modern-swc-output');

module.exports = {
  output: {
    path: join(__dirname, '../../dist/apps/auth-server'),
    clean: true,
    ...(process.env.NODE_ENV !== 'production' && {
      devtoolModuleFilenameTemplate: '[absolute-resource-path]',
    }),
  },
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'swc',
      main: './src/main.ts',
      // The client admin CLI (`npm run clients -- …`), built beside the server.
      additionalEntryPoints: [{ entryName: 'cli', entryPath: './src/cli.ts' }],
      tsConfig: './tsconfig.app.json',
      // Types are checked once for the whole workspace by `npm run typecheck` (CI); a checker per
      // build only slows `npm start` down.
      typeCheckOptions: false,
      optimization: false,
      outputHashing: 'none',
      generatePackageJson: true,
      sourceMap: true,
    }),
    modernSwcOutput(),
  ],
};
