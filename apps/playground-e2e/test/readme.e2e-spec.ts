// The README's walkthrough, run: every ```bash block of its "Walkthrough" and "Beyond shared
// secrets" sections is executed
// (one bash session, so $TOKEN and friends carry over, with real curl) against the three built
// apps, and what it prints is compared with the response block the README shows right after it:
// status code, the headers shown, and the JSON body — same keys, same values, except for values
// that differ on every run (tokens, ids, times, keys), where only the type must match.
// If the README and the apps ever disagree, this test says where.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { usePlayground } from './support/playground';

const root = resolve(__dirname, '../../..');
const readme = readFileSync(resolve(root, 'README.md'), 'utf8');

/** Values that change on every run: compared by type only. */
const VOLATILE = new Set([
  'access_token',
  'expires_in',
  'jti',
  'iat',
  'exp',
  'nbf',
  'kid',
  'n',
  'x',
  'y',
  'id',
  'slot',
  'startedAt',
  'finishedAt',
  'jkt',
]);

interface Step {
  title: string;
  command: string;
  shown?: string;
}

/** A section's steps: each ```bash block, and the ```http/```json block that follows it. */
function walkthroughSteps(markdown: string, heading = 'Walkthrough'): Step[] {
  const start = markdown.indexOf(`\n## ${heading}`);
  if (start < 0) throw new Error(`README.md has no "## ${heading}" section`);
  const end = markdown.indexOf('\n## ', start + 1);
  const section = markdown.slice(start, end < 0 ? undefined : end);
  const steps: Step[] = [];
  let title = '';
  const tokens = section.matchAll(/^### (.+)$|^```(\w+)\n([\s\S]*?)^```$/gm);
  for (const [, heading, lang, body] of tokens) {
    if (heading) title = heading;
    else if (lang === 'bash') steps.push({ title, command: body.trimEnd() });
    else if (steps.length && steps[steps.length - 1].shown === undefined) steps[steps.length - 1].shown = body.trimEnd();
  }
  return steps;
}

interface Response {
  status?: number;
  headers: Record<string, string>;
  body: string;
}

/** `curl -i` output (status line, headers, blank line, body) or a bare body. */
function parseResponse(text: string): Response {
  const normalized = text.replace(/\r\n/g, '\n').trim();
  const match = normalized.match(/^HTTP\/[\d.]+ (\d{3})[^\n]*\n([\s\S]*?)(?:\n\n([\s\S]*))?$/);
  if (!match) return { headers: {}, body: normalized };
  const headers: Record<string, string> = {};
  for (const line of match[2].split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    // A header sent on several lines (WWW-Authenticate: Bearer …, then DPoP …) is one list (RFC 9110 §5.3).
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return { status: Number(match[1]), headers, body: (match[3] ?? '').trim() };
}

/** Where `actual` differs from what the README shows; [] when they agree. */
function differences(shown: unknown, actual: unknown, path = '$'): string[] {
  if (Array.isArray(shown)) {
    if (!Array.isArray(actual) || actual.length !== shown.length)
      return [`${path}: README shows ${shown.length} items, got ${JSON.stringify(actual)}`];
    return shown.flatMap((item, i) => differences(item, actual[i], `${path}[${i}]`));
  }
  if (shown && typeof shown === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual))
      return [`${path}: expected an object, got ${JSON.stringify(actual)}`];
    const shownKeys = Object.keys(shown).sort();
    const actualKeys = Object.keys(actual).sort();
    if (shownKeys.join() !== actualKeys.join()) return [`${path}: README shows keys ${shownKeys.join(',')}, got ${actualKeys.join(',')}`];
    return shownKeys.flatMap((key) => {
      const [s, a] = [(shown as Record<string, unknown>)[key], (actual as Record<string, unknown>)[key]];
      if (VOLATILE.has(key)) return typeof s === typeof a ? [] : [`${path}.${key}: README shows a ${typeof s}, got ${JSON.stringify(a)}`];
      return differences(s, a, `${path}.${key}`);
    });
  }
  return shown === actual ? [] : [`${path}: README shows ${JSON.stringify(shown)}, got ${JSON.stringify(actual)}`];
}

function compare(step: Step, output: string): string[] {
  if (step.shown === undefined) return [];
  const shown = parseResponse(step.shown);
  const actual = parseResponse(output);
  const problems: string[] = [];
  if (shown.status !== undefined && shown.status !== actual.status)
    problems.push(`status: README shows ${shown.status}, got ${actual.status}`);
  for (const [name, value] of Object.entries(shown.headers)) {
    if (actual.headers[name] !== value)
      problems.push(`header ${name}: README shows ${JSON.stringify(value)}, got ${JSON.stringify(actual.headers[name])}`);
  }
  if (!shown.body) {
    if (actual.body) problems.push(`body: README shows none, got ${actual.body}`);
    return problems;
  }
  try {
    problems.push(...differences(JSON.parse(shown.body), JSON.parse(actual.body)));
  } catch {
    if (shown.body !== actual.body) problems.push(`body: README shows ${shown.body}, got ${actual.body}`);
  }
  return problems;
}

describe('README walkthrough', () => {
  // The README names ms-system http://localhost:8091/ms-system; here it listens elsewhere, and
  // its resource indicator follows (both sides read MS_SYSTEM_RESOURCE).
  const current = usePlayground((playground) => {
    const resource = { MS_SYSTEM_RESOURCE: playground.url('ms-system') };
    return { 'auth-server': resource, 'ms-system': resource };
  });
  const steps = walkthroughSteps(readme);
  const beyond = walkthroughSteps(readme, 'Beyond shared secrets');

  it('has the seed steps: 401 without a token, a token, 200 AUSTRALIA with it', () => {
    expect(steps.length).toBeGreaterThanOrEqual(3);
    expect(steps[0].command).toMatch(/curl -i http:\/\/localhost:8091\/ms-system\/country\/code\/AUS/);
    expect(steps[1].command).toMatch(/oauth2\/token/);
    expect(steps[2].command).toMatch(/Authorization: Bearer \$TOKEN/);
    for (const step of steps) expect(step.command).not.toMatch(/127\.0\.0\.1/); // the README uses the public URLs
  });

  it('documents every environment variable the apps read, in its table', () => {
    for (const app of ['auth-server', 'ms-system', 'archival-service', 'console']) {
      const config = readFileSync(resolve(root, 'apps', app, 'src/app/config.ts'), 'utf8');
      const names = [...config.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map(([, name]) => name);
      expect(names.length).toBeGreaterThan(3);
      expect(names.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
    }
  });

  it('has every request of the walkthrough in docs/playground.http', () => {
    const collection = readFileSync(resolve(root, 'docs/playground.http'), 'utf8')
      .replaceAll('{{authServer}}', 'http://localhost:8085/ms-auth-server')
      .replaceAll('{{msSystem}}', 'http://localhost:8091/ms-system')
      .replaceAll('{{archival}}', 'http://localhost:8282/archival-service');
    const urls = steps.flatMap((step) => [...step.command.matchAll(/"?(http:\/\/localhost:\d+[^\s"]*)/g)].map(([, url]) => url));
    expect(urls.length).toBeGreaterThan(10);
    // `$RUN` in the README is `{{run.response.body.id}}` there.
    const missing = urls.filter((url) => !collection.includes(url.replace(/\$\w+/, '{{')));
    expect(missing).toEqual([]);
  });

  it('serves Swagger UI and the OpenAPI document of each app where the README says', async () => {
    const playground = current();
    for (const app of ['auth-server', 'ms-system', 'archival-service'] as const) {
      const base = playground.url(app);
      expect(readme).toContain(
        base.replace(
          /http:\/\/127\.0\.0\.1:\d+/,
          `http://localhost:${{ 'auth-server': 8085, 'ms-system': 8091, 'archival-service': 8282 }[app]}`,
        ) + '/docs',
      );
      expect((await fetch(`${base}/docs`)).status).toBe(200);
      const openapi = (await (await fetch(`${base}/docs-json`)).json()) as { openapi?: string };
      expect(openapi.openapi).toMatch(/^3\./);
    }
  });

  it('has the "Beyond shared secrets" steps: a DPoP-bound token by private_key_jwt, used and refused', () => {
    expect(beyond.length).toBeGreaterThanOrEqual(5);
    expect(
      beyond.some((step) => /client_assertion=/.test(step.command) && /DPoP: /.test(step.command) && /resource=/.test(step.command)),
    ).toBe(true);
    expect(beyond.some((step) => /Authorization: DPoP/.test(step.command))).toBe(true);
  });

  it('answers every step as the README shows', async () => {
    const playground = current();
    const all = [...steps, ...beyond];
    // The README's URLs, pointed at this test's ports.
    const here = (text: string) =>
      text
        .replaceAll('http://localhost:8085', `http://127.0.0.1:${playground.ports['auth-server']}`)
        .replaceAll('http://localhost:8091', `http://127.0.0.1:${playground.ports['ms-system']}`)
        .replaceAll('http://localhost:8282', `http://127.0.0.1:${playground.ports['archival-service']}`);
    const marker = '@@step-done@@';
    // Scratch files (the README keeps responses in /tmp/*.json) go to a directory of this test's own.
    const scratch = mkdtempSync(join(tmpdir(), 'readme-'));
    const script = ['set -e', ...all.map((step) => `${here(step.command).replaceAll('/tmp/', `${scratch}/`)}\necho; echo ${marker}`)].join(
      '\n',
    );
    // From the repository root: the steps run `node tools/playground/sign.mjs` and read docs/keys/.
    const { stdout } = await promisify(execFile)('bash', ['-c', script], { encoding: 'utf8', timeout: 90_000, cwd: root });
    rmSync(scratch, { recursive: true, force: true });
    const outputs = stdout.split(marker);

    const problems = all.flatMap((step, i) =>
      compare({ ...step, shown: step.shown === undefined ? undefined : here(step.shown) }, outputs[i]).map(
        (problem) => `${step.title}\n  $ ${step.command.split('\n')[0]}\n  ${problem}`,
      ),
    );
    expect(problems).toEqual([]);
  }, 120_000);
});
