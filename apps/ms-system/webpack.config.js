const appWebpackConfig = require('../../tools/webpack/app-config');

module.exports = appWebpackConfig('ms-system');
