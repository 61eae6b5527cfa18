const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');

/**
 * The Nx SWC loader compiles to ES5 in loose mode by default, where `[...new Set(x)]` silently
 * becomes `[Set]`. Node 20 runs ES2022 natively: compile to that, spec-compliant, as the root
 * .swcrc (and therefore Jest) does, so the bundle behaves like the tested code.
 */
function modernSwcOutput() {
  return {
    apply(compiler) {
      for (const rule of compiler.options.module.rules) {
        const loader = rule && typeof rule.loader === 'string' ? rule.loader : '';
        if (loader.includes('swc-loader') && rule.options && rule.options.jsc) {
          rule.options.jsc.target = 'es2022';
          rule.options.jsc.loose = false;
          rule.options.jsc.transform = { ...rule.options.jsc.transform, useDefineForClassFields: false };
        }
      }
    },
  };
}

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
      
      optimization: false,
      outputHashing: 'none',
      generatePackageJson: true,
      sourceMap: true,
    }),
    modernSwcOutput(),
  ],
};
