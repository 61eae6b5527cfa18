import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { startBenchPostgres } from './postgres.mjs';
import { freePort, startProcess } from './processes.mjs';

/**
 * The playground as it runs in production: production builds, NODE_ENV=production, a throwaway
 * embedded PostgreSQL. Production refuses the published dev secrets, the published key pair and
 * the default key-encryption key, so the bench does what an operator does: a key-encryption key
 * of its own, the seeded clients' secrets rotated with the admin CLI, `service-client-pkjwt`
 * given the bench's own public key (`pkjwtPublicJwk`), and clients whose JWTs are signed ES256
 * and EdDSA.
 */
export async function startPlayground({ root, log, pkjwtPublicJwk }) {
  const pg = await startBenchPostgres({ flags: ['-c', 'max_connections=200'] });
  const ports = { auth: await freePort(), ms: await freePort(), msNoCache: await freePort(), archival: await freePort() };
  const authUrl = `http://127.0.0.1:${ports.auth}/ms-auth-server`;
  const common = {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    DATABASE_URL: pg.url,
    SIGNING_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  };
  const archivalSecret = randomBytes(24).toString('base64url');

  const cli = (...args) =>
    execFileSync(process.execPath, [join(root, 'dist/apps/auth-server/cli.js'), ...args], {
      cwd: root,
      env: { ...process.env, ...common, ISSUER: authUrl, ARCHIVAL_CLIENT_SECRET: archivalSecret },
      encoding: 'utf8',
    });
  const rotate = (clientId) => /client_secret: (\S+)/.exec(cli('rotate-secret', clientId))[1];
  const clients = {
    opaque: { id: 'user-client-opaque', secret: rotate('user-client-opaque') },
    jwt: { id: 'service-client-jwt', secret: rotate('service-client-jwt') },
  };
  clients.introspector = clients.jwt;
  const jwksFile = join(pg.dir, 'pkjwt.jwks.json');
  writeFileSync(jwksFile, JSON.stringify({ keys: [pkjwtPublicJwk] }));
  cli('set-keys', 'service-client-pkjwt', '--jwks', jwksFile);
  const created = (clientId, ...options) => ({
    id: clientId,
    secret: /client_secret: (\S+)/.exec(
      cli('create', clientId, '--scope', 'country.read', '--format', 'jwt', '--lifetime', '14400', ...options),
    )[1],
  });
  clients.es256 = created('bench-jwt-es256', '--alg', 'ES256');
  clients.eddsa = created('bench-jwt-eddsa', '--alg', 'EdDSA');
  clients.pkjwt = { id: 'service-client-pkjwt' };

  const processes = [];
  const start = async (name, script, env, readyUrl) => {
    const p = await startProcess(name, [join(root, `dist/apps/${script}/main.js`)], { env: { ...common, ...env }, readyUrl });
    processes.push(p);
    return p;
  };
  await start(
    'auth-server',
    'auth-server',
    { PORT: String(ports.auth), ISSUER: authUrl, ARCHIVAL_CLIENT_SECRET: archivalSecret },
    `${authUrl}/health`,
  );
  const msEnv = { AUTH_SERVER_URL: authUrl, INTROSPECTION_CLIENT_SECRET: clients.introspector.secret };
  await start('ms-system', 'ms-system', { ...msEnv, PORT: String(ports.ms) }, `http://127.0.0.1:${ports.ms}/ms-system/health`);
  // A second resource server that introspects every request: what the cache saves.
  await start(
    'ms-system (no cache)',
    'ms-system',
    { ...msEnv, PORT: String(ports.msNoCache), TOKEN_VALIDATION_MODE: 'introspection', INTROSPECTION_CACHE_TTL_SECONDS: '0' },
    `http://127.0.0.1:${ports.msNoCache}/ms-system/health`,
  );
  const archivalUrl = `http://127.0.0.1:${ports.archival}/archival-service`;
  await start(
    'archival-service',
    'archival-service',
    {
      PORT: String(ports.archival),
      AUTH_SERVER_URL: authUrl,
      MS_SYSTEM_URL: `http://127.0.0.1:${ports.ms}/ms-system`,
      ARCHIVAL_CLIENT_SECRET: archivalSecret,
      // Only the run the bench triggers: no scheduled run may overlap the measurements.
      ARCHIVAL_CRON: '0 0 1 1 *',
    },
    `${archivalUrl}/health`,
  );
  log(`playground up: auth-server ${authUrl}`);

  return {
    clients,
    processes,
    issuer: authUrl,
    urls: {
      token: `${authUrl}/oauth2/token`,
      introspect: `${authUrl}/oauth2/introspect`,
      country: `http://127.0.0.1:${ports.ms}/ms-system/country/code/AUS`,
      countryNoCache: `http://127.0.0.1:${ports.msNoCache}/ms-system/country/code/AUS`,
    },
    /** Triggers one archival run and waits for it; wall time from the request to the final state. */
    archivalRun: async () => {
      const started = performance.now();
      const response = await fetch(`${archivalUrl}/runs`, { method: 'POST' });
      let run = await response.json();
      while (run.status === 'queued' || run.status === 'running') {
        await new Promise((r) => setTimeout(r, 20));
        run = await (await fetch(`${archivalUrl}/runs/${run.id}`)).json();
      }
      return {
        status: run.status,
        error: run.error,
        countriesArchived: run.countriesArchived,
        wallMs: Math.round(performance.now() - started),
      };
    },
    /**
     * Two more auth-servers and two more ms-systems on the same database, behind one round-robin
     * front (its own process, bench/lib/round-robin-front.mjs): the issuer and every URL are the
     * front's, as behind a load balancer. Their processes join `processes` (stopped with the rest).
     */
    startTwoInstances: async () => {
      const [front, a1, a2, m1, m2] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
      const frontAuth = `http://127.0.0.1:${front}/ms-auth-server`;
      const frontProcess = await startProcess(
        'round-robin front',
        [join(root, 'bench/lib/round-robin-front.mjs'), String(front), `/ms-auth-server=${a1},${a2}`, `/ms-system=${m1},${m2}`],
        { readyUrl: `http://127.0.0.1:${front}/` },
      );
      processes.push(frontProcess);
      const authEnv = { ISSUER: frontAuth, ARCHIVAL_CLIENT_SECRET: archivalSecret };
      for (const [i, port] of [a1, a2].entries()) {
        await start(
          `auth-server #${i + 1} (×2)`,
          'auth-server',
          { ...authEnv, PORT: String(port) },
          `http://127.0.0.1:${port}/ms-auth-server/health`,
        );
      }
      for (const [i, port] of [m1, m2].entries()) {
        await start(
          `ms-system #${i + 1} (×2)`,
          'ms-system',
          { ...msEnv, AUTH_SERVER_URL: frontAuth, PORT: String(port) },
          `http://127.0.0.1:${port}/ms-system/health`,
        );
      }
      log(`two instances up behind ${frontAuth}`);
      return {
        token: `${frontAuth}/oauth2/token`,
        introspect: `${frontAuth}/oauth2/introspect`,
        country: `http://127.0.0.1:${front}/ms-system/country/code/AUS`,
      };
    },
    stop: async () => {
      for (const p of processes.reverse()) await p.stop();
      await pg.stop();
    },
  };
}
