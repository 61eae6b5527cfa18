// docker-compose.yml, its reverse proxy's nginx.conf and the Dockerfile checked against the
// contract (docs/contract.md).
// No Docker engine runs where the tests run, so this reads the files instead of starting them:
// it catches a wrong port, a missing healthcheck or dependency, an environment variable no app
// reads, a base path the proxy does not route, a single replica, and a Dockerfile that runs as
// root or ships dev dependencies. `npm run test:compose` runs the file for real.
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
  expose?: string[];
  deploy?: { replicas?: number };
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
const PUBLIC = [...Object.values(APPS), { port: 8080, basePath: '/console' }];
const env = (app: string) => Object.fromEntries(Object.entries(compose.services[app].environment ?? {}).map(([k, v]) => [k, String(v)]));

/** Source the app runs: its own src/ and the shared libs' src/ (tests excluded). */
function sourceOf(app: AppName): string {
  const read = (dir: string): string =>
    readdirSync(dir)
      .map((entry) => join(dir, entry))
      .map((path) =>
        statSync(path).isDirectory()
          ? read(path)
          : /\.ts$/.test(path) && !/\.spec\.ts$|[/\\]testing[/\\]/.test(path)
            ? readFileSync(path, 'utf8')
            : '',
      )
      .join('\n');
  const libs = readdirSync(join(root, 'libs/shared')).map((lib) => join(root, 'libs/shared', lib, 'src'));
  return [join(root, 'apps', app, 'src'), ...libs].filter(existsSync).map(read).join('\n');
}

describe('docker-compose.yml', () => {
  it('has exactly postgres, the three apps, the flow console, the reverse proxy and Prometheus', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'archival-service',
      'auth-server',
      'console',
      'ms-system',
      'postgres',
      'prometheus',
      'proxy',
    ]);
  });

  describe('proxy', () => {
    const proxy = () => compose.services['proxy'];
    const [mount] = proxy().volumes ?? [];
    const nginx = parseNginx(readFileSync(join(root, mount.split(':')[0]), 'utf8'));

    it('is nginx, with deploy/compose/nginx.conf as its server configuration, read-only', () => {
      expect(proxy().image).toMatch(/^nginx:\d+\.\d+/);
      expect(mount).toBe('./deploy/compose/nginx.conf:/etc/nginx/conf.d/default.conf:ro');
    });

    it('publishes every public port of the contract, on loopback only (seeded secrets)', () => {
      expect(proxy().ports).toEqual(PUBLIC.map(({ port }) => `127.0.0.1:${port}:${port}`));
    });

    it.each(
      PUBLIC.map(({ port, basePath }) => [
        port,
        basePath,
        basePath === '/console' ? 'console' : Object.entries(APPS).find(([, a]) => a.port === port)?.[0],
      ]),
    )('routes :%s%s/ to the replicas of %s, and nothing else on that port', (port, basePath, app) => {
      const server = nginx.servers.find((s) => s.listen === String(port));
      expect(server).toBeDefined();
      // One proxied location: another app's base path on this port is a 404, as without a proxy.
      expect(server?.locations).toEqual({ [`${basePath}/`]: `http://${app}` });
      // The upstream names the compose service (every replica answers to it) on the app's port.
      expect(nginx.upstreams[app as string]).toEqual([`${app}:${port}`]);
    });

    it('logs which replica answered, and never a query string (tokens stay out of logs)', () => {
      expect(nginx.logFormat).toContain('$upstream_addr');
      expect(nginx.logFormat).not.toMatch(/\$(request|request_uri|args|query_string|http_authorization)\b/);
    });

    it('has a healthcheck through itself, and starts after every app it routes to is healthy', () => {
      expect(proxy().healthcheck?.test.join(' ')).toContain('http://127.0.0.1:8085/ms-auth-server/health');
      expect(proxy().healthcheck?.retries).toBeGreaterThan(0);
      const deps = proxy().depends_on ?? {};
      expect(Object.keys(deps).sort()).toEqual(['archival-service', 'auth-server', 'console', 'ms-system']);
      for (const dep of Object.values(deps)) expect(dep.condition).toBe('service_healthy');
    });

    it('the nginx.conf reader sees a missing route (it is what the checks above rely on)', () => {
      const broken = parseNginx('upstream a { server a:1; }\nserver {\n listen 1;\n location /other/ { proxy_pass http://a; }\n}');
      expect(broken.servers).toEqual([{ listen: '1', locations: { '/other/': 'http://a' } }]);
      expect(broken.servers.find((s) => s.listen === '8085')).toBeUndefined();
    });
  });

  it("sends every app's traces to the console, which reaches the apps by service name", () => {
    for (const app of appNames) expect(env(app)['OTEL_EXPORTER_OTLP_ENDPOINT']).toBe('http://console:8080/console/otlp');
    const console = compose.services['console'];
    expect(console.command).toEqual(['node', 'dist/apps/console/main.js']);
    // Published by the proxy; one instance, as it keeps the traces it receives in memory.
    expect(console.ports).toBeUndefined();
    expect(console.expose).toEqual(['8080']);
    expect(console.deploy?.replicas).toBe(1);
    expect(env('console')).toMatchObject({
      PORT: '8080',
      HOST: '0.0.0.0',
      AUTH_SERVER_URL: 'http://auth-server:8085/ms-auth-server',
      MS_SYSTEM_URL: 'http://ms-system:8091/ms-system',
      ARCHIVAL_SERVICE_URL: 'http://archival-service:8282/archival-service',
    });
    expect(console.healthcheck?.test.join(' ')).toContain('http://127.0.0.1:8080/console/health');
  });

  it('has Prometheus scrape <base path>/metrics of every replica of the three apps, opt-in (`--profile metrics`)', () => {
    expect(compose.services['prometheus'].profiles).toEqual(['metrics']);
    const [mount] = compose.services['prometheus'].volumes ?? [];
    const config = parse(readFileSync(join(root, mount.split(':')[0]), 'utf8')) as {
      scrape_configs: { job_name: string; metrics_path: string; dns_sd_configs: { names: string[]; type: string; port: number }[] }[];
    };
    const jobs = Object.fromEntries(config.scrape_configs.map((job) => [job.job_name, job]));
    for (const app of appNames) {
      expect(jobs[app].metrics_path).toBe(`${APPS[app].basePath}/metrics`);
      // Every address the service name has, one per replica (a static target would be one of them).
      expect(jobs[app].dns_sd_configs).toEqual([expect.objectContaining({ names: [app], type: 'A', port: APPS[app].port })]);
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

    it(`runs at least two replicas on port ${port}, published by the proxy only`, () => {
      expect(service().deploy?.replicas).toBeGreaterThanOrEqual(2);
      // Replicas cannot share a host port: only the proxy publishes one.
      expect(service().ports).toBeUndefined();
      expect(service().expose).toEqual([String(port)]);
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

interface Nginx {
  upstreams: Record<string, string[]>;
  servers: { listen: string; locations: Record<string, string> }[];
  logFormat: string;
}

/**
 * Reads the parts of an nginx.conf these checks need: each `upstream`'s servers, each `server`'s
 * listen port and its proxied locations (path → proxy_pass), and the log_format. Not a general
 * parser: blocks nest at most two deep, as in deploy/compose/nginx.conf.
 */
function parseNginx(text: string): Nginx {
  const withStrings = text.replace(/#.*$/gm, '');
  const logFormat = withStrings.match(/log_format\s+\S+\s+((?:'[^']*'\s*)+);/)?.[1] ?? '';
  // Quoted strings may hold braces (a JSON body in `return`): out of the way of the block matching.
  const source = withStrings.replace(/'[^']*'/g, "''");
  const upstreams: Nginx['upstreams'] = {};
  for (const [, name, body] of source.matchAll(/upstream\s+(\S+)\s*\{([^}]*)\}/g)) {
    upstreams[name] = [...body.matchAll(/^\s*server\s+(\S+)/gm)].map((m) => m[1].replace(/;$/, ''));
  }
  const servers: Nginx['servers'] = [];
  for (const [, body] of source.matchAll(/^server\s*\{((?:[^{}]|\{[^{}]*\})*)\}/gm)) {
    const locations: Record<string, string> = {};
    for (const [, path, block] of body.matchAll(/location\s+(\S+)\s*\{([^}]*)\}/g)) {
      const pass = block.match(/proxy_pass\s+([^;\s]+)/)?.[1];
      if (pass) locations[path] = pass;
    }
    servers.push({ listen: body.match(/listen\s+(\d+)/)?.[1] ?? '', locations });
  }
  return { upstreams, servers, logFormat };
}
