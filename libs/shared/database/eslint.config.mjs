import baseConfig from '../../../eslint.config.mjs';

export default [...baseConfig, { files: ['src/testing/**/*.ts'], rules: { 'no-restricted-imports': 'off' } }];
