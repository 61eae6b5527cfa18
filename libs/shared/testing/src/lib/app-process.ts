import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface RunningApp {
  name: string;
  /** e.g. http://127.0.0.1:8085/ms-auth-server */
  baseUrl: string;
  /** Everything the process printed, for assertions on logs (e.g. "no secret is ever logged"). */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  process: ChildProcess;
}

export interface StartAppOptions {
  /** Nx project name; the built bundle at dist/apps/<name>/main.js is started. */
  name: string;
  port: number;
  basePath: string;
  env: Record<string, string>;
  /** How long to wait for `<basePath>/health` to answer 200. */
  timeoutMs?: number;
  workspaceRoot?: string;
}

/**
 * Starts a built app as its own Node process, the way `npm start` and docker-compose do, and
 * waits until its health endpoint answers. e2e tests talk to it over real HTTP on loopback.
 */
export async function startBuiltApp(options: StartAppOptions): Promise<RunningApp> {
  const root = options.workspaceRoot ?? process.cwd();
  const main = join(root, 'dist', 'apps', options.name, 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: build it first (nx build ${options.name})`);
  let output = '';
  const child = spawn(process.execPath, [main], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(options.port), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${options.port}${options.basePath}`;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${options.name} exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${baseUrl}/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.name} did not become healthy in time:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    name: options.name,
    baseUrl,
    output: () => output,
    process: child,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode !== null) return child.exitCode;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
