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
  return stdout
    .split(marker)
    .slice(0, blocks.length)
    .map((output) => output.trim());
}

interface Launcher {
  process: ChildProcess;
  output(): string;
  /** Its processes (apps, Postgres helper, Postgres) once the walkthrough is printed. */
  children: number[];
}

/** Starts the launcher as `npm start` would (built apps, own embedded Postgres) and waits for the walkthrough. */
async function startLauncher(env: NodeJS.ProcessEnv): Promise<Launcher> {
  let output = '';
  const child = spawn(process.execPath, ['tools/playground/start.mjs', '--no-build'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 90_000;
  while (!output.includes('Ctrl-C stops everything')) {
    if (child.exitCode !== null) throw new Error(`the launcher exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`no walkthrough after 90 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { process: child, output: () => output, children: descendants(child.pid as number) };
}

async function waitUntilGone(pids: number[], ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  return pids.filter(alive);
}

describe('npm start (tools/playground/start.mjs)', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let launcher: Launcher;
  const ports = { auth: 0, ms: 0, archival: 0, pg: 0, console: 0 };
  const everything: number[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'playground-launcher-'));
    chmodSync(dir, 0o755); // as root, Postgres runs as its own user and must enter the dir
    Object.assign(ports, {
      auth: await freePort(),
      ms: await freePort(),
      archival: await freePort(),
      pg: await freePort(),
      console: await freePort(),
    });
    env = {
      ...process.env,
      AUTH_SERVER_PORT: String(ports.auth),
      MS_SYSTEM_PORT: String(ports.ms),
      ARCHIVAL_SERVICE_PORT: String(ports.archival),
      EMBEDDED_PG_PORT: String(ports.pg),
      CONSOLE_PORT: String(ports.console),
      EMBEDDED_PG_DATA_DIR: join(dir, 'postgres'),
      NO_COLOR: '1',
    };
    // The launcher's own PostgreSQL, not the test server: that is the path `npm start` takes.
    for (const name of [
      'DATABASE_URL',
      'PGHOST',
      'PGPORT',
      'PGUSER',
      'PGPASSWORD',
      'PGDATABASE',
      'ISSUER',
      'AUTH_SERVER_URL',
      'MS_SYSTEM_URL',
      'ARCHIVAL_SERVICE_URL',
      'OTEL_EXPORTER_OTLP_ENDPOINT',
    ]) {
      delete env[name];
    }
    launcher = await startLauncher(env);
    everything.push(...launcher.children);
  }, 120_000);

  afterAll(async () => {
    if (launcher && launcher.process.exitCode === null && launcher.process.signalCode === null) {
      launcher.process.kill('SIGTERM');
      await new Promise((r) => launcher.process.once('exit', r));
    }
    // Belt and braces after a failed assertion: nothing of ours may outlive the test.
    for (const pid of everything.filter(alive)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('prints the flow console URL first, and the console serves its page there', async () => {
    const firstLine = launcher
      .output()
      .split('\n')
      .find((line) => line.trim() !== '');
    expect(firstLine).toContain(`flow console: http://localhost:${ports.console}/console/`);
    const page = await fetch(`http://127.0.0.1:${ports.console}/console/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Flow console');
  });

  it('prefixes every app log line with the app name', () => {
    for (const app of ['auth-server', 'ms-system', 'archival-service']) {
      expect(launcher.output()).toMatch(new RegExp(`^${app}\\s*│ `, 'm'));
    }
    expect(launcher.output()).toMatch(/✔ ready in \d+\.\d s/);
  });

  it('prints a walkthrough with the real URLs, and it works pasted into a shell', async () => {
    const printed = launcher.output().slice(launcher.output().indexOf('Try the seed walkthrough'));
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

  it('stops the apps, then PostgreSQL, on SIGTERM, and exits 0 leaving no process behind', async () => {
    const running = processTable()
      .filter((p) => launcher.children.includes(p.pid))
      .map((p) => p.args);
    for (const app of ['auth-server', 'ms-system', 'archival-service']) {
      expect(running.some((args) => args.includes(`dist/apps/${app}/main.js`))).toBe(true);
    }
    expect(running.some((args) => /postgres -D /.test(args) && args.includes(dir))).toBe(true);

    launcher.process.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => launcher.process.once('exit', (c) => r(c)));
    expect(code).toBe(0);
    const output = launcher.output();
    expect(output).toContain('stopped.');
    // Apps first: Postgres reports its shutdown only after every app has exited.
    expect(output.indexOf('apps stopped')).toBeGreaterThan(output.indexOf('SIGTERM: stopping'));
    expect(output.lastIndexOf('database system is shut down')).toBeGreaterThan(output.indexOf('apps stopped'));
    expect(launcher.children.filter(alive)).toEqual([]);
    expect(processTable().filter((p) => p.args.includes(dir))).toEqual([]);
  }, 60_000);

  it('reuses its data on a second start, and leaves nothing behind even when killed with SIGKILL', async () => {
    launcher = await startLauncher(env);
    everything.push(...launcher.children);
    expect(launcher.output()).not.toContain('first start: initialising');
    expect(launcher.output()).toContain('✔ PostgreSQL ready');

    launcher.process.kill('SIGKILL');
    // The apps (IPC channel closed) and the Postgres helper notice and stop on their own.
    expect(await waitUntilGone(launcher.children, 20_000)).toEqual([]);
    expect(processTable().filter((p) => p.args.includes(dir))).toEqual([]);
  }, 120_000);
});
