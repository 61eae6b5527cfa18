import baseConfig, { appLayers } from '../../eslint.config.mjs';

export default [...baseConfig, ...appLayers];
