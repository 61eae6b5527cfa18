import nx from '@nx/eslint-plugin';

// Module boundaries on two axes (see README "Project layout"):
//   type:  app → feature → data-access → util   (and type:testing only from tests and e2e)
//   scope: each app sees its own scope and `shared`; shared libs see only shared.
// There is deliberately no `* → *` escape hatch: an app importing another app fails lint.
const typeRules = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util', 'type:testing'] },
  { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util', 'type:testing'] },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:util', 'type:testing'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:util', 'type:data-access'] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:testing', 'type:util', 'type:data-access'] },
];
const scopeRules = [
  { sourceTag: 'scope:auth-server', onlyDependOnLibsWithTags: ['scope:auth-server', 'scope:shared'] },
  { sourceTag: 'scope:ms-system', onlyDependOnLibsWithTags: ['scope:ms-system', 'scope:shared'] },
  { sourceTag: 'scope:archival', onlyDependOnLibsWithTags: ['scope:archival', 'scope:shared'] },
  { sourceTag: 'scope:console', onlyDependOnLibsWithTags: ['scope:console', 'scope:shared'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/out-tsc', '**/.data', '**/coverage', 'bench/results'] },
  {
    files: ['**/*.ts', '**/*.js', '**/*.cts', '**/*.mjs', '**/*.cjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          // Build configs may share workspace tooling (tools/webpack) by relative path.
          allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$', '^(\\.\\./)+tools/webpack/[\\w-]+$'],
          depConstraints: [...typeRules, ...scopeRules],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests may use the shared test harness; production code must not.
    files: ['**/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@playground/testing', message: 'Test harness: import it only from *.spec.ts and test/ files.' },
            { name: '@playground/database/testing', message: 'Test harness: import it only from *.spec.ts and test/ files.' },
            { name: '@playground/bearer-auth/testing', message: 'Test double: import it only from *.spec.ts and test/ files.' },
          ],
        },
      ],
    },
  },
];
