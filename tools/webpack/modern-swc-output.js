const { readFileSync } = require('fs');
const { join } = require('path');

/**
 * Nx's SWC loader compiles with `loose: true` and no target, i.e. to ES5 in loose mode: async
 * functions become generators and `[...iterable]` becomes `[].concat(iterable)`, which silently
 * breaks spreading a Set or Map. Compile every bundle like the tests do instead: the root .swcrc
 * (ES2022, legacy decorators with metadata, no define semantics for class fields).
 */
module.exports = function modernSwcOutput() {
  return {
    apply(compiler) {
      const swcrc = JSON.parse(readFileSync(join(__dirname, '../../.swcrc'), 'utf8'));
      for (const rule of compiler.options.module.rules) {
        if (rule && typeof rule.loader === 'string' && rule.loader.includes('swc-loader')) {
          rule.options = { ...rule.options, jsc: { ...swcrc.jsc, loose: false }, swcrc: false };
        }
      }
    },
  };
};
