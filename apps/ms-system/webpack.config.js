const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { readFileSync } = require('fs');
const { join } = require('path');

/**
 * Nx's SWC loader compiles with `loose: true` and no target, i.e. to ES5 in loose mode: async
 * functions become generators and `[...iterable]` becomes `[].concat(iterable)`, which silently
 * breaks spreading a Set or Map. Compile the bundle like the tests do instead: the root .swcrc
 * (ES2022, legacy decorators with metadata, no define semantics for class fields).
 */
class SwcLikeTestsPlugin {
  apply(compiler) {
    const swcrc = JSON.parse(readFileSync(join(__dirname, '../../.swcrc'), 'utf8'));
    for (const rule of compiler.options.module.rules) {
      if (rule && typeof rule.loader === 'string' && rule.loader.includes('swc-loader')) {
        rule.options = { ...rule.options, jsc: { ...swcrc.jsc, loose: false }, swcrc: false };
      }
    }
  }
}

module.exports = {
  output: {
    path: join(__dirname, '../../dist/apps/ms-system'),
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
    new SwcLikeTestsPlugin(),
  ],
};
