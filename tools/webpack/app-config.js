const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');
// ES2022, spec-compliant SWC output (Nx's loader defaults to ES5 loose mode; see the helper).
const modernSwcOutput = require('./modern-swc-output');

/**
 * The one webpack configuration of every app: a Node bundle of `src/main.ts` in
 * `dist/apps/<name>`, compiled by SWC like the tests, with a generated package.json.
 * `plugin` adds or overrides NxAppWebpackPlugin options (e.g. `additionalEntryPoints`).
 */
module.exports = function appWebpackConfig(name, plugin = {}) {
  return {
    output: {
      path: join(__dirname, '../../dist/apps', name),
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
        tsConfig: './tsconfig.app.json',
        // Types are checked once for the whole workspace by `npm run typecheck` (CI); a checker per
        // build only slows `npm start` down.
        typeCheckOptions: false,
        optimization: false,
        outputHashing: 'none',
        generatePackageJson: true,
        sourceMap: true,
        ...plugin,
      }),
      modernSwcOutput(),
    ],
  };
};
