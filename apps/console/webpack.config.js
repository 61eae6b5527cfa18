const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');
// ES2022, spec-compliant SWC output (Nx's loader defaults to ES5 loose mode; see the helper).
const modernSwcOutput = require('../../tools/webpack/modern-swc-output');

module.exports = {
  output: {
    path: join(__dirname, '../../dist/apps/console'),
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
      // The page (HTML, CSS, JS) is served as is, next to main.js.
      // mermaid is copied beside it: the page works offline, no CDN.
      assets: ['./src/assets', { input: '../../node_modules/mermaid/dist', glob: 'mermaid.min.js', output: 'assets/vendor' }],
      typeCheckOptions: false,
      optimization: false,
      outputHashing: 'none',
      generatePackageJson: true,
      sourceMap: true,
    }),
    modernSwcOutput(),
  ],
};
