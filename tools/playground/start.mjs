// `npm start`: the whole playground with one command.
//
//   1. builds the three apps for production with Nx (cached after the first run) while the
//      embedded PostgreSQL starts (skipped when DATABASE_URL or PGHOST points at your own);
//   2. starts the flow console, then auth-server, then ms-system and archival-service, as
//      `node dist/apps/<app>/main.js`, each log line prefixed with the app's name; the apps send
//      their OpenTelemetry traces to the console (OTEL_EXPORTER_OTLP_ENDPOINT, unless you set it);
//   3. waits until every /health answers 200, then prints the walkthrough with the real URLs;
//   4. on Ctrl-C / SIGTERM stops the apps first, then PostgreSQL, and exits: no process is left.
//
// A plain Node script on purpose: it needs no build of its own, so PostgreSQL can initialise
// while Nx builds. Options: `--no-build` (or PLAYGROUND_SKIP_BUILD=1) runs what is in dist/;
// `--watch` (`npm run dev`) keeps webpack watching and restarts an app when its bundle changes.
// Ports: CONSOLE_PORT, AUTH_SERVER_PORT, MS_SYSTEM_PORT, ARCHIVAL_SERVICE_PORT, EMBEDDED_PG_PORT.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, watchFile } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { formatLogLine } from './logs.mjs';
import { walkthrough } from './walkthrough.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const env = process.env;
const watching = process.argv.includes('--watch');
const startedAt = Date.now();
const seconds = () => `${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
const color = process.stdout.isTTY && !env.NO_COLOR;
const paint = (code, text) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);

const port = (name, fallback) => Number(env[name] ?? fallback);
const apps = [
  { name: 'console', port: port('CONSOLE_PORT', 8080), basePath: '/console', color: 32 },
  { name: 'auth-server', port: port('AUTH_SERVER_PORT', 8085), basePath: '/ms-auth-server', color: 36 },
  { name: 'ms-system', port: port('MS_SYSTEM_PORT', 8091), basePath: '/ms-system', color: 35 },
  { name: 'archival-service', port: port('ARCHIVAL_SERVICE_PORT', 8282), basePath: '/archival-service', color: 33 },
];
const [flowConsole, authServer, msSystem, archival] = apps;
const publicUrl = (app) => `http://localhost:${app.port}${app.basePath}`;
const bundle = (app) => join(root, 'dist/apps', app.name, 'main.js');
const width = Math.max(...apps.map((a) => a.name.length), 'playground'.length);

/** Writes `name │ line` for every line of `stream` (`format` may return null to hide a line). */
function prefixLines(stream, name, code, format = (line) => line) {
  const label = paint(code, `${name.padEnd(width)} │`);
  createInterface({ input: stream }).on('line', (line) => {
    const text = format(line);
    if (text !== null) console.log(`${label} ${text}`);
  });
}
const say = (message) => console.log(`${paint(1, `${'playground'.padEnd(width)} │`)} ${message}`);

/** Every child runs in its own process group, so a terminal's Ctrl-C reaches only this script,
 *  which then stops them in order (apps before the database they use). */
const children = new Set();
function run(command, args, options = {}) {
  const child = spawn(command, args, { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'], ...options });
  children.add(child);
  child.exited = new Promise((done) => child.once('exit', (code, signal) => done(code ?? signal)));
  child.exited.then(() => children.delete(child));
  return child;
}

/** SIGTERM to the child's whole group, SIGKILL if it is still there after `graceMs`. */
async function stop(child, graceMs = 10_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const signal = (sig) => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(timer);
}

let stopping = false;
let postgres;
async function shutdown(reason, exitCode) {
  if (stopping) return;
  stopping = true;
  say(`${reason}: stopping the apps, then PostgreSQL…`);
  await Promise.all([...children].filter((c) => c !== postgres).map((c) => stop(c)));
  say('apps stopped');
  if (postgres) await stop(postgres, 15_000);
  say('stopped.');
  process.exit(exitCode);
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => shutdown(sig, 0));
// `kill <npm's pid>` stops npm and its shell without passing the signal on; this script is then
// re-parented. Notice it and shut down as if signalled, rather than run on unattended.
const parent = process.ppid;
setInterval(() => process.ppid !== parent && shutdown('parent process gone', 0), 1000).unref();
const fail = (message) => {
  say(paint(31, message));
  return shutdown('error', 1);
};
process.on('uncaughtException', (error) => fail(error.stack ?? String(error)));
process.on('unhandledRejection', (error) => fail(error?.stack ?? String(error)));

// --- 1. build (Nx) and PostgreSQL, side by side ----------------------------------------------

function build() {
  const skip = process.argv.includes('--no-build') || env.PLAYGROUND_SKIP_BUILD === '1';
  if (skip) {
    const missing = apps.filter((a) => !existsSync(bundle(a)));
    if (missing.length) throw new Error(`--no-build, but ${missing.map((a) => a.name).join(', ')} not built`);
    return Promise.resolve();
  }
  say(`building ${apps.map((a) => a.name).join(', ')} (Nx + SWC; ${watching ? 'then watching' : 'cached after the first run'})…`);
  const nxPackage = createRequire(join(root, 'package.json')).resolve('nx/package.json');
  const nxBin = join(dirname(nxPackage), JSON.parse(readFileSync(nxPackage, 'utf8')).bin.nx);
  const args = [nxBin, 'run-many', '-t', 'build', '-p', ...apps.map((a) => a.name)];
  // --watch is passed on to webpack; the three watchers run side by side and never exit.
  if (watching) args.push('--parallel=3', '--outputStyle=stream', '--watch');
  else args.push('--outputStyle=static');
  const nx = run(process.execPath, args, { env: { ...env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', FORCE_COLOR: '0' } });
  let output = ''; // the tail, shown if the build fails
  const keep = (chunk) => (output = (output + chunk).slice(-50_000));
  nx.stdout.on('data', keep);
  nx.stderr.on('data', keep);
  const ticker = setInterval(() => say(`  still building… (${seconds()})`), 5000);
  const built = () => {
    clearInterval(ticker);
    say(`✔ built (${seconds()})`);
  };
  if (watching) {
    // Ready once webpack has compiled each app (it leaves an unchanged bundle unwritten, so the
    // files themselves cannot tell); from then on, show only its verdicts.
    const compiled = new Set();
    return new Promise((resolveBuilt) => {
      prefixLines(nx.stdout, 'build', 90, (raw) => {
        // eslint-disable-next-line no-control-regex -- ESC starts the colour codes stripped here
        const line = raw.replace(/\x1b\[[0-9;]*m/g, '');
        const done = line.match(/^([\w-]+): webpack compiled/);
        if (done && !compiled.has(done[1])) {
          compiled.add(done[1]);
          if (apps.every((a) => compiled.has(a.name))) {
            setImmediate(() => (built(), resolveBuilt())); // after this line is printed
          }
        }
        return /compiled|ERROR|error TS|rror:/.test(line) ? line : null;
      });
      nx.exited.then((code) => stopping || fail(`the webpack watchers stopped (nx exited with ${code}):\n${output}`));
    });
  }
  return nx.exited.then((code) => {
    if (stopping) return new Promise(() => undefined);
    if (code !== 0) {
      clearInterval(ticker);
      process.stdout.write(output);
      throw new Error(`the build failed (nx exited with ${code})`);
    }
    built();
  });
}

function startPostgres() {
  const external = env.DATABASE_URL || (env.PGHOST && 'PG* variables');
  if (external) {
    say(`using your PostgreSQL (${env.DATABASE_URL ? 'DATABASE_URL' : external})`);
    return Promise.resolve(env.DATABASE_URL);
  }
  const where = relative(root, env.EMBEDDED_PG_DATA_DIR ?? join(root, '.data/postgres')) || '.';
  say(`starting the embedded PostgreSQL (data in ${where})…`);
  postgres = run(process.execPath, [join(root, 'tools/playground/postgres.mjs')], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  // initdb and the server are chatty; show what matters, keep the rest for a failure report.
  const chatter = [];
  const important =
    /ERROR|FATAL|PANIC|WARNING|first start|joining|did not start|ready to accept|shut down$|runs from|system user|copying|was removed/;
  const filter = (line) => (important.test(line) ? line : (chatter.push(line), null));
  prefixLines(postgres.stdout, 'postgres', 34, filter);
  prefixLines(postgres.stderr, 'postgres', 34, filter);
  return new Promise((resolveUrl, reject) => {
    postgres.on('message', (message) => {
      if (message?.type !== 'ready') return;
      say(`✔ PostgreSQL ${message.joined ? 'joined' : 'ready'} on 127.0.0.1:${message.port} (${seconds()})`);
      resolveUrl(message.url);
    });
    postgres.exited.then((code) => {
      if (!stopping) reject(new Error(`PostgreSQL exited (${code}):\n${chatter.join('\n')}`));
    });
  });
}

// --- 2. the apps -----------------------------------------------------------------------------

function startApp(app, databaseUrl) {
  const appEnv = {
    ...env,
    PORT: String(app.port),
    HOST: env.HOST ?? '127.0.0.1',
    DATABASE_URL: databaseUrl,
    ISSUER: env.ISSUER ?? publicUrl(authServer),
    AUTH_SERVER_URL: env.AUTH_SERVER_URL ?? publicUrl(authServer),
    MS_SYSTEM_URL: env.MS_SYSTEM_URL ?? publicUrl(msSystem),
    ARCHIVAL_SERVICE_URL: env.ARCHIVAL_SERVICE_URL ?? publicUrl(archival),
    // Traces go to the console unless you point them elsewhere (Jaeger, Tempo, a collector).
    OTEL_EXPORTER_OTLP_ENDPOINT: env.OTEL_EXPORTER_OTLP_ENDPOINT ?? `http://127.0.0.1:${flowConsole.port}/console/otlp`,
  };
  const child = run(
    process.execPath,
    ['--enable-source-maps', '--require', join(root, 'tools/playground/exit-with-launcher.cjs'), bundle(app)],
    {
      env: appEnv,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  );
  prefixLines(child.stdout, app.name, app.color, formatLogLine);
  prefixLines(child.stderr, app.name, app.color, formatLogLine);
  child.exited.then((code) => {
    if (stopping || child.replaced) return;
    if (watching) say(paint(31, `${app.name} exited (${code}); it starts again on its next rebuild`));
    else fail(`${app.name} exited unexpectedly (${code}); see its log above`);
  });
  app.child = child;
  return child;
}

/** --watch: restart an app whenever webpack rewrites its bundle. */
function restartOnRebuild(app, databaseUrl) {
  let timer;
  watchFile(bundle(app), { interval: 500 }, (current, previous) => {
    if (current.mtimeMs === previous.mtimeMs || stopping) return;
    clearTimeout(timer);
    // webpack writes main.js and its map in quick succession: wait until it is done.
    timer = setTimeout(async () => {
      say(`↻ ${app.name} rebuilt, restarting…`);
      if (app.child) {
        app.child.replaced = true;
        await stop(app.child);
      }
      startApp(app, databaseUrl);
      await waitHealthy(app);
    }, 800);
  });
}

async function waitHealthy(app) {
  const url = `http://127.0.0.1:${app.port}${app.basePath}/health`;
  let last = Date.now();
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) {
        say(`✔ ${app.name} healthy on ${publicUrl(app)} (${seconds()})`);
        return;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() - last > 3000) {
      last = Date.now();
      say(`  waiting for ${app.name} (${url})… (${seconds()})`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}

// --- go --------------------------------------------------------------------------------------

say(paint(1, `flow console: ${publicUrl(flowConsole)}/ (every exchange between the services, live)`));
const [databaseUrl] = await Promise.all([startPostgres(), build()]);
// The console first, so the apps' first traces (boot included) have somewhere to go; then
// auth-server: the other two discover it (RFC 8414 metadata, JWKS) when they boot.
startApp(flowConsole, databaseUrl);
await waitHealthy(flowConsole);
startApp(authServer, databaseUrl);
await waitHealthy(authServer);
startApp(msSystem, databaseUrl);
startApp(archival, databaseUrl);
await Promise.all([waitHealthy(msSystem), waitHealthy(archival)]);
say(paint(32, `✔ ready in ${seconds()}`));
say(paint(1, `flow console: ${publicUrl(flowConsole)}/ — click "walkthrough (JWT)"`));
console.log(walkthrough({ authServer: publicUrl(authServer), msSystem: publicUrl(msSystem), archival: publicUrl(archival) }));
if (watching) {
  for (const app of apps) restartOnRebuild(app, databaseUrl);
  say('watching: an app restarts when its code (or a library it uses) changes');
}
