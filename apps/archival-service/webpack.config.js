const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');

/**
 * Nx's SWC loader compiles to ES5 in loose mode, where `[...iterable]` becomes
 * `[].concat(iterable)` (an array holding the iterator, not its items). Node 20 runs ES2022 as
 * is, so compile to that, with exact semantics, as the root .swcrc does for the tests.
 */
class ExactEs2022Swc {
  apply(compiler) {
    const patch = (rules = []) => {
      for (const rule of rules) {
        if (!rule || typeof rule !== 'object') continue;
        if (typeof rule.loader === 'string' && rule.loader.includes('swc-loader') && rule.options?.jsc) {
          rule.options.jsc.loose = false;
          rule.options.jsc.target = 'es2022';
        }
        patch(rule.oneOf);
        patch(rule.rules);
      }
    };
    patch(compiler.options.module?.rules);
  }
}

module.exports = {
  output: {
    path: join(__dirname, '../../dist/apps/archival-service'),
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
      
      optimization: false,
      outputHashing: 'none',
      generatePackageJson: true,
      sourceMap: true,
    }),
    new ExactEs2022Swc(),
  ],
};
