import baseConfig from '../eslint.config.mjs';

// tools/ is code users run (`npm start` is tools/playground/start.mjs): linted like the apps.
export default [...baseConfig];
