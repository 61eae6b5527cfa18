const appWebpackConfig = require('../../tools/webpack/app-config');

module.exports = appWebpackConfig('console', {
  // The page (HTML, CSS, JS) is served as is, next to main.js, with mermaid copied beside it:
  // the page works offline, no CDN.
  assets: ['./src/assets', { input: '../../node_modules/mermaid/dist', glob: 'mermaid.min.js', output: 'assets/vendor' }],
});
