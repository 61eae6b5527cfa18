import baseConfig from '../../../eslint.config.mjs';

// This lib *is* the test harness.
export default [...baseConfig, { files: ['**/*.ts'], rules: { 'no-restricted-imports': 'off' } }];
