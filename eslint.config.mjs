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
  { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: ['type:testing', 'type:util', 'type:data-access'] },
];
// Platform: a framework-free lib (the wire contracts) cannot reach a framework, a database
// driver or an HTTP server, even though they are installed for the apps.
const platformRules = [
  {
    sourceTag: 'platform:framework-free',
    bannedExternalImports: ['@nestjs/*', 'typeorm', 'pg', 'pg-*', 'fastify', '@fastify/*', 'passport', 'passport-*', 'express'],
  },
];
// Inside an app, only the persistence layer talks to the database: repositories, entities,
// migrations (and Nest modules, which wire TypeORM repositories but run no query).
const DATABASE_PACKAGES = '^(typeorm|@nestjs/typeorm|pg|pg-[\\w-]+)(/.*)?$';
const PERSISTENCE_FILES = ['**/persistence/**', '**/migrations/**', '**/*.entity.ts', '**/*.repository.ts'];
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
          depConstraints: [...typeRules, ...scopeRules, ...platformRules],
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
          ],
        },
      ],
    },
  },
];

/**
 * For each app's own eslint.config.mjs (paths are relative to it): the database only under
 * persistence. Libs do not take it: @playground/database is a persistence lib by role.
 */
export const appLayers = [
  {
    files: ['src/**/*.ts'],
    ignores: [...PERSISTENCE_FILES, '**/*.module.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: DATABASE_PACKAGES,
              message: 'Only persistence talks to the database (repositories, entities, migrations): depend on a repository port instead.',
            },
          ],
        },
      ],
    },
  },
  {
    // A module may wire TypeORM repositories (`TypeOrmModule.forFeature`) but not query.
    files: ['src/**/*.module.ts'],
    ignores: PERSISTENCE_FILES,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(typeorm|pg|pg-[\\w-]+)(/.*)?$', message: 'A module wires providers; queries belong to a repository.' }] },
      ],
    },
  },
];
