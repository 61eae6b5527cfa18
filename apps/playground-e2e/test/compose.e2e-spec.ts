// docker-compose.yml and the Dockerfile checked against the contract (docs/contract.md).
// No Docker engine runs where the tests run, so this reads the files instead of starting them:
// it catches a wrong port, a missing healthcheck or dependency, an environment variable no app
// reads, and a Dockerfile that runs as root or ships dev dependencies.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

const root = resolve(__dirname, '../../..');

interface Service {
  image?: string;
  build?: string | { context: string; dockerfile?: string };
  command?: string[];
  environment?: Record<string, string | number>;
  ports?: string[];
  healthcheck?: { test: string[]; interval?: string; retries?: number };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  init?: boolean;
  profiles?: string[];
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as Compose;
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

const APPS = {
  'auth-server': { port: 8085, basePath: '/ms-auth-server', dependsOn: ['postgres'] },
  'ms-system': { port: 8091, basePath: '/ms-system', dependsOn: ['postgres', 'auth-server'] },
  'archival-service': { port: 8282, basePath: '/archival-service', dependsOn: ['postgres', 'auth-server', 'ms-system'] },
} as const;
type AppName = keyof typeof APPS;
const appNames = Object.keys(APPS) as AppName[];
// The seeded archival client's secret: overridable from the shell, the contract's dev default otherwise.
const SECRET = '${ARCHIVAL_CLIENT_SECRET:-archival-service-secret}';
const env = (app: string) => Object.fromEntries(Object.entries(compose.services[app].environment ?? {}).map(([k, v]) => [k, String(v)]));

/** Source the app runs: its own src/ and the shared libs' src/ (tests excluded). */
function sourceOf(app: AppName): string {
  const read = (dir: string): string =>
    readdirSync(dir)
      .map((entry) => join(dir, entry))
      .map((path) =>
        statSync(path).isDirectory() ? read(path) : /\.ts$/.test(path) && !/\.spec\.ts$|[/\\]testing[/\\]/.test(path) ? readFileSync(path, 'utf8') : '',
      )
      .join('\n');
  const libs = readdirSync(join(root, 'libs/shared')).map((lib) => join(root, 'libs/shared', lib, 'src'));
  return [join(root, 'apps', app, 'src'), ...libs].filter(existsSync).map(read).join('\n');
}

describe('docker-compose.yml', () => {
  it('has exactly postgres, the three apps, the flow console and Prometheus', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['archival-service', 'auth-server', 'console', 'ms-system', 'postgres', 'prometheus']);
  });

  it('sends every app\'s traces to the console, which reaches the apps by service name', () => {
    for (const app of appNames) expect(env(app)['OTEL_EXPORTER_OTLP_ENDPOINT']).toBe('http://console:8080/console/otlp');
    const console = compose.services['console'];
    expect(console.command).toEqual(['node', 'dist/apps/console/main.js']);
    expect(console.ports).toEqual(['127.0.0.1:8080:8080']);
    expect(env('console')).toMatchObject({
      PORT: '8080',
      HOST: '0.0.0.0',
      AUTH_SERVER_URL: 'http://auth-server:8085/ms-auth-server',
      MS_SYSTEM_URL: 'http://ms-system:8091/ms-system',
      ARCHIVAL_SERVICE_URL: 'http://archival-service:8282/archival-service',
    });
    expect(console.healthcheck?.test.join(' ')).toContain('http://127.0.0.1:8080/console/health');
  });

  it('has Prometheus scrape <base path>/metrics of the three apps, opt-in (`--profile metrics`)', () => {
    expect(compose.services['prometheus'].profiles).toEqual(['metrics']);
    const [mount] = compose.services['prometheus'].volumes ?? [];
    const config = parse(readFileSync(join(root, mount.split(':')[0]), 'utf8')) as {
      scrape_configs: { job_name: string; metrics_path: string; static_configs: { targets: string[] }[] }[];
    };
    const jobs = Object.fromEntries(config.scrape_configs.map((job) => [job.job_name, job]));
    for (const app of appNames) {
      expect(jobs[app].metrics_path).toBe(`${APPS[app].basePath}/metrics`);
      expect(jobs[app].static_configs[0].targets).toEqual([`${app}:${APPS[app].port}`]);
    }
  });

  describe('postgres', () => {
    const pg = () => compose.services['postgres'];

    it('uses the official image, with data on a named volume', () => {
      expect(pg().image).toMatch(/^postgres:\d+/);
      const [volume, target] = (pg().volumes ?? [])[0].split(':');
      expect(target).toBe('/var/lib/postgresql/data');
      expect(Object.keys(compose.volumes ?? {})).toContain(volume);
    });

    it('has a pg_isready healthcheck for the database the apps use', () => {
      const test = pg().healthcheck?.test.join(' ') ?? '';
      expect(test).toContain('pg_isready');
      expect(test).toContain(`-d ${pg().environment?.['POSTGRES_DB']}`);
    });
  });

  describe.each(appNames)('%s', (app) => {
    const service = () => compose.services[app];
    const { port, basePath, dependsOn } = APPS[app];

    it('is built from the repository Dockerfile and runs the built bundle', () => {
      const build = service().build;
      const context = typeof build === 'string' ? build : build?.context;
      expect(context).toBe('.');
      expect(service().command).toEqual(['node', `dist/apps/${app}/main.js`]);
    });

    it(`publishes port ${port} (on loopback only: seeded secrets)`, () => {
      expect(service().ports).toEqual([`127.0.0.1:${port}:${port}`]);
      expect(env(app)['PORT']).toBe(String(port));
      expect(env(app)['HOST']).toBe('0.0.0.0');
    });

    it(`has a healthcheck on ${basePath}/health`, () => {
      const test = service().healthcheck?.test ?? [];
      expect(test[0]).toBe('CMD');
      expect(test.join(' ')).toContain(`http://127.0.0.1:${port}${basePath}/health`);
      expect(service().healthcheck?.retries).toBeGreaterThan(0);
    });

    it(`waits for ${dependsOn.join(', ')} to be healthy`, () => {
      const deps = service().depends_on ?? {};
      expect(Object.keys(deps).sort()).toEqual([...dependsOn].sort());
      for (const dep of dependsOn) expect(deps[dep].condition).toBe('service_healthy');
    });

    it('gets the contract environment: Postgres, issuer, and the other services by service name', () => {
      const e = env(app);
      const pgEnv = env('postgres');
      const db = new URL(e['DATABASE_URL']);
      expect(db.hostname).toBe('postgres');
      expect(decodeURIComponent(db.username)).toBe(pgEnv['POSTGRES_USER']);
      expect(decodeURIComponent(db.password)).toBe(pgEnv['POSTGRES_PASSWORD']);
      expect(db.pathname).toBe(`/${pgEnv['POSTGRES_DB']}`);
      const wanted: Record<AppName, Record<string, string>> = {
        // The public issuer: tokens say `iss: http://localhost:8085/ms-auth-server` whoever asks.
        'auth-server': { ISSUER: 'http://localhost:8085/ms-auth-server', ARCHIVAL_CLIENT_SECRET: SECRET },
        'ms-system': { AUTH_SERVER_URL: 'http://auth-server:8085/ms-auth-server' },
        'archival-service': {
          AUTH_SERVER_URL: 'http://auth-server:8085/ms-auth-server',
          // The metadata names the public token endpoint, which is not reachable in the network.
          ARCHIVAL_TOKEN_ENDPOINT: 'http://auth-server:8085/ms-auth-server/oauth2/token',
          MS_SYSTEM_URL: 'http://ms-system:8091/ms-system',
          ARCHIVAL_CLIENT_SECRET: SECRET,
        },
      };
      expect(e).toMatchObject(wanted[app]);
      // The seeded clients are what the playground is for; production mode refuses them.
      expect(e['NODE_ENV']).not.toBe('production');
    });

    it('sets no variable the app does not read', () => {
      const source = sourceOf(app);
      const reads = (name: string) => new RegExp(`(?<![A-Z_])${name}(?![A-Z_])`).test(source);
      const unread = Object.keys(env(app)).filter((name) => name !== 'NODE_ENV' && !reads(name));
      expect(unread).toEqual([]);
    });
  });
});

describe('Dockerfile', () => {
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const last = stages[stages.length - 1];

  it('is multi-stage: the build happens in Nx, the runtime stage has production dependencies only', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(dockerfile).toMatch(/nx run-many -t build -p auth-server ms-system archival-service/);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(last).not.toMatch(/npm (ci|install)(?! --omit=dev)/);
    expect(last).toMatch(/COPY --from=build .*dist\/apps/);
  });

  it('runs as a non-root user', () => {
    const user = last.match(/^USER (\S+)/m)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
  });

  it('is built from a context without local state', () => {
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n');
    for (const path of ['node_modules', 'dist', '.data', '.git']) expect(ignored).toContain(path);
  });
});
