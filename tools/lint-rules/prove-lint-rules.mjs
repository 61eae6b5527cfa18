#!/usr/bin/env node
// Proves that each architecture rule the docs claim really fails lint: in a scratch copy of the
// repository (node_modules linked, never the working tree), it plants one violating file per
// rule, lints that file with its project's own config, and expects an error from the rule named.
// A clean control file must pass, so the check cannot succeed because lint fails on anything.
// Run by CI (.ci/run) and by `npm run lint:rules`. Exit code 1 if any rule did not bite.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BOUNDARIES = '@nx/enforce-module-boundaries';
const DATABASE = '@typescript-eslint/no-restricted-imports';
const NX_ENV = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };

/** project dir, planted file (relative to it), content, the rule that must report it (undefined: must pass). */
const cases = [
  {
    name: 'an app imports another app',
    project: 'apps/ms-system',
    file: 'src/app/planted.ts',
    code: "import { AuthServerConfigModule } from '../../../auth-server/src/app/config.module';\nexport const planted = AuthServerConfigModule;\n",
    rule: BOUNDARIES,
  },
  {
    name: 'the framework-free contracts lib imports a framework',
    project: 'libs/shared/oauth-contracts',
    file: 'src/lib/planted.ts',
    code: "import { Injectable } from '@nestjs/common';\nexport const planted = Injectable;\n",
    rule: BOUNDARIES,
  },
  {
    name: 'the contracts lib imports a database driver',
    project: 'libs/shared/oauth-contracts',
    file: 'src/lib/planted.ts',
    code: "import type { Pool } from 'pg';\nexport type Planted = Pool;\n",
    rule: BOUNDARIES,
  },
  {
    name: 'a grant imports TypeORM',
    project: 'apps/auth-server',
    file: 'src/app/token-endpoint/grants/planted.grant.ts',
    code: "import type { DataSource } from 'typeorm';\nexport type Planted = DataSource;\n",
    rule: DATABASE,
  },
  {
    name: 'a controller imports TypeORM',
    project: 'apps/auth-server',
    file: 'src/app/token-endpoint/planted.controller.ts',
    code: "import { InjectDataSource } from '@nestjs/typeorm';\nexport const planted = InjectDataSource;\n",
    rule: DATABASE,
  },
  {
    name: 'production code imports the test harness',
    project: 'apps/auth-server',
    file: 'src/app/planted.ts',
    code: "import { startBuiltApp } from '@playground/testing';\nexport const planted = startBuiltApp;\n",
    rule: 'no-restricted-imports',
  },
  {
    name: 'a lint error under tools/',
    project: 'tools',
    file: 'playground/planted.mjs',
    code: 'const unused = 1;\nexport const planted = 2;\n',
    rule: '@typescript-eslint/no-unused-vars',
  },
  {
    name: 'control: a clean grant file passes',
    project: 'apps/auth-server',
    file: 'src/app/token-endpoint/grants/planted.grant.ts',
    code: "import type { GrantHandler } from './grant';\nexport type Planted = GrantHandler;\n",
    rule: undefined,
  },
];

function scratchCopy() {
  const dir = mkdtempSync(join(tmpdir(), 'lint-rules-'));
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    try {
      cpSync(join(root, file), join(dir, file));
    } catch {
      // a file deleted in the working tree but still in the index: nothing to copy
    }
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  // The boundary rule reads Nx's project graph and is silently skipped without one: compute it.
  const graph = spawnSync('npx', ['nx', 'show', 'projects'], { cwd: dir, encoding: 'utf8', env: NX_ENV });
  if (graph.status !== 0) throw new Error(`nx could not build the project graph: ${graph.stderr}`);
  return dir;
}

const scratch = scratchCopy();
const failures = [];
try {
  for (const c of cases) {
    const planted = join(scratch, c.project, c.file);
    writeFileSync(planted, c.code);
    const report = join(scratch, 'lint-report.json');
    const run = spawnSync('npx', ['eslint', '--format', 'json', '--output-file', report, c.file], {
      cwd: join(scratch, c.project),
      encoding: 'utf8',
      env: NX_ENV,
    });
    rmSync(planted);
    if (/rule will be skipped/i.test(run.stdout + run.stderr)) failures.push(`${c.name}: a rule was skipped: ${run.stdout}${run.stderr}`);
    let rules = [];
    try {
      rules = JSON.parse(readFileSync(report, 'utf8')).flatMap((r) => r.messages.filter((m) => m.severity === 2).map((m) => m.ruleId));
      rmSync(report);
    } catch {
      failures.push(`${c.name}: eslint gave no report (exit ${run.status}): ${(run.stdout + run.stderr).slice(0, 400)}`);
      continue;
    }
    const ok = c.rule === undefined ? run.status === 0 && rules.length === 0 : run.status !== 0 && rules.includes(c.rule);
    console.log(
      `${ok ? 'ok  ' : 'FAIL'} ${c.name}${c.rule ? ` → ${c.rule}` : ''}${ok ? '' : ` (exit ${run.status}, rules: ${rules.join(', ') || 'none'})`}`,
    );
    if (!ok) failures.push(c.name);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
if (failures.length) {
  console.error(`lint rules that did not bite: ${failures.join('; ')}`);
  process.exit(1);
}
