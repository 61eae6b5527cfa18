// `npm start` as a user runs it: the launcher (tools/playground/start.mjs) starts its embedded
// PostgreSQL and the three built apps, prints the walkthrough, and the walkthrough it prints
// works when pasted into a shell. SIGTERM then stops everything: no app, no Postgres left.
// (Builds are done by this project's `test` target, so the launcher runs with --no-build; the
// build step itself is what `npm start` from a fresh clone measures, see the README.)
import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '@playground/testing';

const root = resolve(__dirname, '../../..');

/** pid → parent pid and command line of every process on the machine. */
function processTable(): { pid: number; ppid: number; args: string }[] {
  return execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [, pid, ppid, args] = line.match(/^\s*(\d+)\s+(\d+)\s+(.*)$/) ?? [];
      return { pid: Number(pid), ppid: Number(ppid), args };
    });
}

function descendants(pid: number): number[] {
  const table = processTable();
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const p of table.filter((row) => row.ppid === parent)) {
      found.push(p.pid);
      walk(p.pid);
    }
  };
  walk(pid);
  return found;
}

const alive = (pid: number) => processTable().some((p) => p.pid === pid);

/** Runs shell blocks one after the other in one bash (variables carry over); each block's stdout. */
async function runBlocks(blocks: string[]): Promise<string[]> {
  const marker = '@@step-done@@';
  const script = ['set -e', ...blocks.map((block) => `${block}\necho; echo ${marker}`)].join('\n');
  // Asynchronous, so the launcher's output keeps flowing into this test meanwhile.
  const { stdout } = await promisify(execFile)('bash', ['-c', script], { encoding: 'utf8', timeout: 30_000 });
  return stdout.split(marker).slice(0, blocks.length).map((output) => output.trim());
}

describe('npm start (tools/playground/start.mjs)', () => {
  let dir: string;
  let launcher: ChildProcess;
  let output = '';
  let children: number[] = [];
  const ports = { auth: 0, ms: 0, archival: 0, pg: 0 };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'playground-launcher-'));
    chmodSync(dir, 0o755); // as root, Postgres runs as its own user and must enter the dir
    Object.assign(ports, { auth: await freePort(), ms: await freePort(), archival: await freePort(), pg: await freePort() });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AUTH_SERVER_PORT: String(ports.auth),
      MS_SYSTEM_PORT: String(ports.ms),
      ARCHIVAL_SERVICE_PORT: String(ports.archival),
      EMBEDDED_PG_PORT: String(ports.pg),
      EMBEDDED_PG_DATA_DIR: join(dir, 'postgres'),
      NO_COLOR: '1',
    };
    // The launcher's own PostgreSQL, not the test server: that is the path `npm start` takes.
    for (const name of ['DATABASE_URL', 'PGHOST', 'PGPORT', 'PGUSER', 'PGPASSWORD', 'PGDATABASE', 'ISSUER', 'AUTH_SERVER_URL', 'MS_SYSTEM_URL']) {
      delete env[name];
    }
    launcher = spawn(process.execPath, ['tools/playground/start.mjs', '--no-build'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    launcher.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    launcher.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 90_000;
    while (!output.includes('Ctrl-C stops everything')) {
      if (launcher.exitCode !== null) throw new Error(`the launcher exited with ${launcher.exitCode}:\n${output}`);
      if (Date.now() > deadline) throw new Error(`no walkthrough after 90 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    children = descendants(launcher.pid as number);
  }, 120_000);

  afterAll(async () => {
    if (launcher && launcher.exitCode === null) {
      launcher.kill('SIGTERM');
      await new Promise((r) => launcher.once('exit', r));
    }
    // Belt and braces after a failed assertion: nothing of ours may outlive the test.
    for (const pid of children.filter(alive)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('prefixes every app log line with the app name', () => {
    for (const app of ['auth-server', 'ms-system', 'archival-service']) {
      expect(output).toMatch(new RegExp(`^${app}\\s*│ `, 'm'));
    }
    expect(output).toMatch(/✔ ready in \d+\.\d s/);
  });

  it('prints a walkthrough with the real URLs, and it works pasted into a shell', async () => {
    const printed = output.slice(output.indexOf('Try the seed walkthrough'));
    expect(printed).toContain(`http://localhost:${ports.ms}/ms-system/country/code/AUS`);
    expect(printed).toContain(`http://localhost:${ports.auth}/ms-auth-server/oauth2/token`);
    // The shell blocks: indented lines between blank lines, comments dropped.
    const blocks = printed
      .split(/\n\s*\n/)
      .map((block) =>
        block
          .split('\n')
          .filter((line) => line.startsWith('  ') && !line.trim().startsWith('#'))
          .map((line) => line.slice(2))
          .join('\n'),
      )
      .filter(Boolean);
    expect(blocks).toHaveLength(3);

    // Pasted as printed; only the scratch files move from /tmp to this test's own directory.
    const [noToken, getToken, withToken] = await runBlocks(blocks.map((block) => block.replaceAll('/tmp/', `${dir}/`)));
    expect(noToken).toMatch(/^HTTP\/1\.1 401/);
    expect(noToken).toMatch(/^www-authenticate: Bearer/im);
    // The token response is shown, and the token kept in $TOKEN for step 3.
    expect(JSON.parse(getToken)).toMatchObject({ token_type: 'Bearer', scope: 'country.read' });
    expect(withToken).toMatch(/^HTTP\/1\.1 200/);
    expect(withToken).toContain('{"code":"AUS","name":"AUSTRALIA"}');
  });

  it('stops the apps and PostgreSQL on SIGTERM, leaving no process behind', async () => {
    // The apps and Postgres (through its helper) are all there while it runs.
    const table = processTable();
    const running = table.filter((p) => children.includes(p.pid)).map((p) => p.args);
    for (const app of ['auth-server', 'ms-system', 'archival-service']) {
      expect(running.some((args) => args.includes(`dist/apps/${app}/main.js`))).toBe(true);
    }
    expect(running.some((args) => /postgres -D /.test(args) && args.includes(dir))).toBe(true);

    launcher.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => launcher.once('exit', (c) => r(c)));
    expect(code).toBe(0);
    expect(output).toContain('stopped.');
    expect(children.filter(alive)).toEqual([]);
    expect(processTable().filter((p) => p.args.includes(dir))).toEqual([]);
  }, 60_000);
});
