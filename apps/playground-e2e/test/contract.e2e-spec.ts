// docs/contract.md kept true: every endpoint it names answers on the running apps (a route that
// exists, whatever its status), every error code it lists is one the code can produce, and every
// environment variable it names is read by an app or the launcher and listed in the README.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { usePlayground, type AppName } from './support/playground';

const root = resolve(__dirname, '../../..');
const contract = readFileSync(resolve(root, 'docs/contract.md'), 'utf8');
const readme = readFileSync(resolve(root, 'README.md'), 'utf8');

/** Production sources (no specs): where a code or a variable has to be real. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return ['node_modules', 'dist', 'test', 'testing'].includes(entry.name) ? [] : sources(path);
    return /\.(ts|mjs)$/.test(entry.name) && !/\.spec\.ts$/.test(entry.name) ? [readFileSync(path, 'utf8')] : [];
  });
}
const code = [
  ...['auth-server', 'ms-system', 'archival-service', 'console'].map((app) => join(root, 'apps', app, 'src')),
  join(root, 'libs'),
  join(root, 'tools'),
]
  .flatMap(sources)
  .join('\n');

const endpoints = [...contract.matchAll(/`(GET|POST) (\/[^`\s]+)`/g)].map(([, method, path]) => ({ method, path }));
const errorCodes = [...contract.matchAll(/^\| `([a-z_]+)` \| \d{3} \|/gm)].map(([, name]) => name);
const variables = [...new Set([...contract.matchAll(/`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|ISSUER)`/g)].map(([, name]) => name))];

function appOf(path: string): AppName {
  if (path.startsWith('/ms-system')) return 'ms-system';
  if (path.startsWith('/archival-service')) return 'archival-service';
  if (path.startsWith('/console')) return 'console';
  return 'auth-server';
}

describe('docs/contract.md is true', () => {
  const current = usePlayground();

  it('names the endpoints, error codes and variables it promises', () => {
    expect(endpoints.length).toBeGreaterThanOrEqual(15);
    expect(errorCodes).toEqual(expect.arrayContaining(['invalid_request', 'invalid_client', 'invalid_token', 'insufficient_scope']));
    expect(variables).toEqual(expect.arrayContaining(['ISSUER', 'DATABASE_URL', 'TOKEN_VALIDATION_MODE']));
  });

  it('every endpoint it names is served (a route of that method, not the not-found answer)', async () => {
    const playground = current();
    if (!playground.apps.console) await playground.start('console');
    const missing: string[] = [];
    for (const { method, path } of endpoints) {
      const app = appOf(path);
      const origin = `http://127.0.0.1:${playground.ports[app]}`;
      const url = origin + path.replace(':id', '00000000-0000-4000-8000-000000000000');
      const response = await fetch(url, {
        method,
        ...(method === 'POST' ? { headers: { 'content-type': 'application/json' }, body: '{}' } : {}),
      });
      const body = (await response.json().catch(() => ({}))) as { error_description?: string };
      const notRouted =
        (response.status === 404 && /^(Cannot (GET|POST)|no such resource)/.test(body.error_description ?? '')) || response.status === 405;
      if (notRouted || response.status >= 500) missing.push(`${method} ${path} → ${response.status} ${JSON.stringify(body)}`);
    }
    expect(missing).toEqual([]);
  });

  it('every error code it lists is one the code produces', () => {
    expect(errorCodes.filter((name) => !code.includes(`'${name}'`))).toEqual([]);
  });

  it('every environment variable it names is read by the code and listed in the README table', () => {
    expect(variables.filter((name) => !new RegExp(`\\b${name}\\b`).test(code))).toEqual([]);
    expect(variables.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });
});

describe('the repository stands alone', () => {
  it('no file cites a path outside it (no ../shared/…, no CONTRACT.md, no "issue N", no Markdown link leaving the repository)', () => {
    const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((file) => /\.(md|ts|mjs|cjs|js|json|ya?ml|sh)$|^\.ci\//.test(file) && !file.endsWith('package-lock.json'));
    expect(tracked.length).toBeGreaterThan(100);
    const outside: string[] = [];
    for (const file of tracked) {
      const text = readFileSync(join(root, file), 'utf8');
      if (file !== 'apps/playground-e2e/test/contract.e2e-spec.ts') {
        if (/\.\.\/shared\//.test(text)) outside.push(`${file}: ../shared/`);
        // The contract lives in docs/contract.md; a citation of the brief's CONTRACT.md or of a
        // tracker's "issue N" means nothing to someone who has only this repository.
        if (/CONTRACT\.md/.test(text)) outside.push(`${file}: CONTRACT.md`);
        if (/\b[Ii]ssue[ -]?#?\d+/.test(text) && !file.startsWith('bench/results/')) outside.push(`${file}: issue N`);
      }
      if (!file.endsWith('.md')) continue;
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)[^)]*\)/g)) {
        if (/^[a-z]+:/i.test(target)) continue; // a URL
        const resolved = relative(root, resolve(root, dirname(file), target));
        if (resolved.startsWith('..')) outside.push(`${file}: ${target}`);
      }
    }
    expect(outside).toEqual([]);
  });
});
