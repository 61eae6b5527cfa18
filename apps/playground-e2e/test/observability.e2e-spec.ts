// Observability end to end (docs/contract.md): the built apps trace every exchange
// (W3C traceparent in, propagated out, PostgreSQL included) and export OTLP/HTTP to whatever
// OTEL_EXPORTER_OTLP_ENDPOINT names — the flow console, or any collector; every app serves
// Prometheus metrics at <base path>/metrics. Real processes, real PostgreSQL, loopback HTTP.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { startOtlpReceiver } from './support/otlp-receiver';
import { createPlayground, type Playground } from './support/playground';

interface Exchange {
  id: string;
  parentId?: string;
  from: string;
  to: string;
  method: string;
  path: string;
  status?: number;
  durationMs: number;
  oauth: Record<string, unknown>;
}
interface Flow {
  traceId: string;
  startedAt: string;
  durationMs: number;
  participants: string[];
  exchanges: Exchange[];
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const traceparent = (traceId: string) => `00-${traceId}-${hex(8)}-01`;
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const JWT_CLIENT = { id: 'service-client-jwt', secret: 'service-client-jwt-secret' };
const OPAQUE_CLIENT = { id: 'user-client-opaque', secret: 'user-client-secret' };

async function token(
  playground: Playground,
  client: { id: string; secret: string },
  headers: Record<string, string> = {},
): Promise<string> {
  const response = await fetch(`${playground.url('auth-server')}/oauth2/token`, {
    method: 'POST',
    headers: { authorization: basic(client.id, client.secret), 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: 'grant_type=client_credentials&scope=country.read',
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

async function metrics(playground: Playground, app: 'auth-server' | 'ms-system' | 'archival-service') {
  const response = await fetch(`${playground.url(app)}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  const families = parsePrometheusTextFormat(await response.text());
  return Object.fromEntries(families.map((family) => [family.name, family]));
}

describe('the flow console and the apps’ traces (built apps, real Postgres)', () => {
  let playground: Playground;

  beforeAll(async () => {
    playground = await createPlayground();
    await playground.start('console');
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: `${playground.url('console')}/otlp` };
    await playground.start('auth-server', otel);
    await Promise.all([playground.start('ms-system', otel), playground.start('archival-service', { ...otel, ARCHIVAL_CRON: 'off' })]);
  }, 120_000);

  afterAll(() => playground?.close(), 60_000);

  /** Polls the console API until `accept` holds for the flow of `traceId`, at most `withinMs`. */
  async function flowOf(traceId: string, accept: (flow: Flow) => boolean, withinMs: number): Promise<Flow> {
    const deadline = Date.now() + withinMs;
    let last: Flow | undefined;
    while (Date.now() < deadline) {
      const { flows } = (await (await fetch(`${playground.url('console')}/api/flows?limit=100`)).json()) as { flows: Flow[] };
      last = flows.find((f) => f.traceId === traceId);
      if (last && accept(last)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`trace ${traceId} not complete within ${withinMs} ms: ${JSON.stringify(last?.exchanges ?? null)}`);
  }

  it('shows a walkthrough sent with a known traceparent under that trace id within 5 s, exchanges in order', async () => {
    const traceId = hex(16);
    const sentAt = Date.now();
    const access = await token(playground, JWT_CLIENT, { traceparent: traceparent(traceId) });
    const country = await fetch(`${playground.url('ms-system')}/country/code/AUS`, {
      headers: { authorization: `Bearer ${access}`, traceparent: traceparent(traceId) },
    });
    expect(country.status).toBe(200);
    // Each app sends its spans in its own batches: wait for all three legs (within the 5 s).
    const isComplete = (flow: Flow) =>
      flow.exchanges.some((e) => e.from === 'client' && e.path.endsWith('/oauth2/token')) &&
      flow.exchanges.some((e) => e.to === 'ms-system') &&
      flow.exchanges.some((e) => e.from === 'ms-system' && e.path.endsWith('/oauth2/jwks'));
    const flow = await flowOf(traceId, isComplete, 5000 - (Date.now() - sentAt));

    const http = flow.exchanges.filter((e) => e.to !== 'postgres');
    expect(http.map((e) => [e.from, e.to, e.method, e.path, e.status])).toEqual([
      ['client', 'auth-server', 'POST', '/ms-auth-server/oauth2/token', 200],
      ['client', 'ms-system', 'GET', '/ms-system/country/code/AUS', 200],
      // ms-system's first JWT: it fetches the JWKS (RFC 7517) from the auth-server, inside the request.
      ['ms-system', 'auth-server', 'GET', '/ms-auth-server/oauth2/jwks', 200],
    ]);
    const [tokenCall, countryCall, jwks] = http;
    expect(jwks.parentId).toBe(countryCall.id);
    // The token request wrote to PostgreSQL, inside the token exchange.
    expect(flow.exchanges.some((e) => e.from === 'auth-server' && e.to === 'postgres' && e.parentId === tokenCall.id)).toBe(true);
    expect(tokenCall.oauth).toMatchObject({
      'oauth.grant_type': 'client_credentials',
      'oauth.client_id': 'service-client-jwt',
      'oauth.client_auth_method': 'client_secret_basic',
      'oauth.token_format': 'jwt',
      'oauth.scope': 'country.read',
    });
    expect(tokenCall.oauth['oauth.jwt.kid']).toEqual(expect.any(String));
    expect(countryCall.oauth).toMatchObject({ 'oauth.client_id': 'service-client-jwt', 'oauth.validation_mode': 'jwt' });
    expect(flow.participants).toEqual(expect.arrayContaining(['client', 'auth-server', 'ms-system', 'postgres']));
  });

  it('shows one archival run as one flow across all three apps', async () => {
    const traceId = hex(16);
    const response = await fetch(`${playground.url('archival-service')}/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: traceparent(traceId) },
      body: '{}',
    });
    expect(response.status).toBe(202);
    const flow = await flowOf(
      traceId,
      (f) =>
        f.exchanges.some((e) => e.from === 'archival-service' && e.to === 'ms-system' && e.status === 200) &&
        f.exchanges.some((e) => e.from === 'archival-service' && e.to === 'postgres' && /UPDATE/.test(e.method)),
      15_000,
    );
    const http = flow.exchanges.filter((e) => e.to !== 'postgres').map((e) => `${e.from} → ${e.to} ${e.method} ${e.path}`);
    expect(http[0]).toBe('client → archival-service POST /archival-service/runs');
    expect(http).toEqual(
      expect.arrayContaining([
        'archival-service → auth-server POST /ms-auth-server/oauth2/token',
        'archival-service → ms-system GET /ms-system/country',
      ]),
    );
    // The token comes before the countries call that needs it.
    expect(http.indexOf('archival-service → auth-server POST /ms-auth-server/oauth2/token')).toBeLessThan(
      http.indexOf('archival-service → ms-system GET /ms-system/country'),
    );
    expect(flow.participants).toEqual(expect.arrayContaining(['client', 'archival-service', 'auth-server', 'ms-system', 'postgres']));
  });

  it('runs a scenario as a real client: the flow and a decoded JWT verified against the live JWKS', async () => {
    const response = await fetch(`${playground.url('console')}/api/scenarios/walkthrough-jwt?wait=true`, { method: 'POST' });
    const run = (await response.json()) as {
      traceId: string;
      state: string;
      outcome: string;
      tokens: { format: string; verified: boolean; claims: Record<string, unknown> }[];
    };
    expect(run.state).toBe('done');
    expect(run.outcome).toContain('200');
    expect(run.tokens).toHaveLength(1);
    expect(run.tokens[0]).toMatchObject({
      format: 'jwt',
      verified: true,
      claims: { client_id: 'service-client-jwt', scope: 'country.read' },
    });
    expect(JSON.stringify(run)).not.toMatch(/"access_token":"ey/);
    const flow = await flowOf(run.traceId, (f) => f.exchanges.some((e) => e.to === 'ms-system' && e.status === 200), 5000);
    expect(
      flow.exchanges
        .filter((e) => e.to !== 'postgres')
        .slice(0, 2)
        .map((e) => `${e.from} → ${e.to} ${e.path}`),
    ).toEqual(['client → auth-server /ms-auth-server/oauth2/token', 'client → ms-system /ms-system/country/code/AUS']);
  });

  it('runs the other scenario buttons to the outcome each one demonstrates', async () => {
    const runScenario = async (name: string) =>
      (await (await fetch(`${playground.url('console')}/api/scenarios/${name}?wait=true`, { method: 'POST' })).json()) as {
        state: string;
        outcome: string;
        steps: { label: string; status: number }[];
        tokens: { format: string }[];
      };
    const opaque = await runScenario('walkthrough-opaque');
    expect(opaque).toMatchObject({ state: 'done', outcome: 'ms-system accepted the token: 200', tokens: [{ format: 'opaque' }] });
    const scope = await runScenario('insufficient-scope');
    expect(scope).toMatchObject({ state: 'done', outcome: 'refused as it should be: 403 insufficient_scope' });
    const archival = await runScenario('archival-run');
    expect(archival).toMatchObject({ state: 'done', outcome: 'run succeeded' });
    // ms-system polls the revocations feed every 5 s (ADR 0003): refused within the 10 s window.
    const revoke = await runScenario('revoke-then-retry');
    expect(revoke.state).toBe('done');
    expect(revoke.outcome).toMatch(/^refused \d+\.\d s after the revocation/);
    expect(revoke.steps.map((step) => step.status).slice(0, 3)).toEqual([200, 200, 200]);
    expect(revoke.steps[revoke.steps.length - 1].status).toBe(401);
  }, 60_000);

  it('serves Prometheus metrics in every app; the token counter moves when a token is issued', async () => {
    const before = await metrics(playground, 'auth-server');
    const count = (families: typeof before) =>
      Number(
        families['oauth_tokens_issued_total']?.metrics.find(
          (m) => m.labels?.['client_id'] === 'user-client-opaque' && m.labels?.['format'] === 'opaque',
        )?.value ?? 0,
      );
    await token(playground, OPAQUE_CLIENT);
    const after = await metrics(playground, 'auth-server');
    expect(count(after)).toBe(count(before) + 1);
    expect(after['oauth_tokens_issued_total'].type).toBe('COUNTER');
    expect(after['process_cpu_seconds_total']).toBeDefined(); // prom-client's process defaults
    expect(after['http_server_request_duration_seconds'].type).toBe('HISTOGRAM');

    const ms = await metrics(playground, 'ms-system');
    for (const name of [
      'oauth_introspection_calls_total',
      'oauth_introspection_cache_hits_total',
      'oauth_jwks_fetches_total',
      'oauth_revocation_feed_lag_seconds',
    ]) {
      expect(ms[name]).toBeDefined();
    }
    expect(Number(ms['oauth_jwks_fetches_total'].metrics[0].value)).toBeGreaterThanOrEqual(1);
    const archival = await metrics(playground, 'archival-service');
    expect(archival['archival_runs_total'].metrics.find((m) => m.labels?.['status'] === 'succeeded')).toBeDefined();

    // The Grafana dashboard in docs/ only queries metrics the apps really serve.
    const dashboard = readFileSync(resolve(__dirname, '../../../docs/observability/grafana-dashboard.json'), 'utf8');
    const queried = new Set(
      [...dashboard.matchAll(/\b((?:oauth|archival|http_server|process|nodejs)_[a-z0-9_]+?)(?:_bucket)?\b/g)].map(([, name]) => name),
    );
    const served = new Set([...Object.keys(after), ...Object.keys(ms), ...Object.keys(archival)]);
    expect(queried.size).toBeGreaterThan(5);
    expect([...queried].filter((name) => !served.has(name))).toEqual([]);
  });
});

describe('any OTLP collector (OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  let playground: Playground;
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    playground = await createPlayground();
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint };
    await playground.start('auth-server', otel);
    await playground.start('ms-system', { ...otel, TOKEN_VALIDATION_MODE: 'auto' });
  }, 120_000);

  afterAll(async () => {
    await playground?.close();
    await receiver?.close();
  }, 60_000);

  it('receives the trace of a request sent with a traceparent, parented to it, from both apps', async () => {
    const traceId = hex(16);
    const parent = hex(8);
    const access = await token(playground, JWT_CLIENT, { traceparent: `00-${traceId}-${parent}-01` });
    await fetch(`${playground.url('ms-system')}/country/code/AUS`, {
      headers: { authorization: `Bearer ${access}`, traceparent: `00-${traceId}-${parent}-01` },
    });
    const deadline = Date.now() + 5000;
    const ofTrace = () => receiver.spans.filter((s) => s.traceId === traceId);
    const serversOf = () => ofTrace().filter((s) => s.kind === 2 && s.parentSpanId === parent);
    // Each app exports in its own batches: wait until both apps' server spans are in.
    while (Date.now() < deadline && new Set(serversOf().map((s) => s.service)).size < 2) await new Promise((r) => setTimeout(r, 100));
    const spans = ofTrace();
    const servers = serversOf();
    expect(servers.map((s) => [s.service, s.attributes['http.request.method'], s.attributes['url.path']]).sort()).toEqual([
      ['auth-server', 'POST', '/ms-auth-server/oauth2/token'],
      ['ms-system', 'GET', '/ms-system/country/code/AUS'],
    ]);
    expect(spans.some((s) => s.service === 'auth-server' && s.attributes['db.system.name'] === 'postgresql')).toBe(true);
  });

  it('never receives a secret, a whole token or a token signature in any span (RFC 6750 §2.3 query tokens included)', async () => {
    const traceId = hex(16);
    const headers = { traceparent: traceparent(traceId) };
    const jwt = await token(playground, JWT_CLIENT, headers);
    // client_secret_post: the secret in the form body.
    const post = await fetch(`${playground.url('auth-server')}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: `grant_type=client_credentials&client_id=${OPAQUE_CLIENT.id}&client_secret=${OPAQUE_CLIENT.secret}`,
    });
    const opaque = ((await post.json()) as { access_token: string }).access_token;
    const wrong = await fetch(`${playground.url('auth-server')}/oauth2/token`, {
      method: 'POST',
      headers: {
        authorization: basic(JWT_CLIENT.id, 'a-wrong-secret-value'),
        'content-type': 'application/x-www-form-urlencoded',
        ...headers,
      },
      body: 'grant_type=client_credentials',
    });
    expect(wrong.status).toBe(401);
    // ms-system: a JWT, an opaque token (it introspects, authenticating with its own secret),
    // and a token in the query string, which it refuses but the HTTP layer sees.
    for (const bearer of [jwt, opaque]) {
      await fetch(`${playground.url('ms-system')}/country/code/AUS`, { headers: { authorization: `Bearer ${bearer}`, ...headers } });
    }
    const inQuery = await fetch(`${playground.url('ms-system')}/country/code/AUS?access_token=${opaque}&lang=en`, { headers });
    expect(inQuery.status).toBe(400);
    await fetch(`${playground.url('auth-server')}/oauth2/introspect`, {
      method: 'POST',
      headers: { authorization: basic(JWT_CLIENT.id, JWT_CLIENT.secret), 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: `token=${opaque}`,
    });
    await fetch(`${playground.url('auth-server')}/oauth2/revoke`, {
      method: 'POST',
      headers: { authorization: basic(JWT_CLIENT.id, JWT_CLIENT.secret), 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: `token=${jwt}`,
    });
    const deadline = Date.now() + 5000;
    const sawQueryRequest = () =>
      receiver.spans.some((s) => s.traceId === traceId && s.kind === 2 && s.attributes['http.response.status_code'] === 400);
    const sawRevoke = () =>
      receiver.spans.some((s) => s.traceId === traceId && s.attributes['url.path'] === '/ms-auth-server/oauth2/revoke');
    while (Date.now() < deadline && !(sawQueryRequest() && sawRevoke())) await new Promise((r) => setTimeout(r, 100));
    expect(sawQueryRequest() && sawRevoke()).toBe(true);

    const everything = receiver.bodies.join('\n');
    const forbidden = {
      'JWT client secret': JWT_CLIENT.secret,
      'opaque client secret': OPAQUE_CLIENT.secret,
      'wrong secret': 'a-wrong-secret-value',
      'Basic credentials': Buffer.from(`${JWT_CLIENT.id}:${JWT_CLIENT.secret}`).toString('base64'),
      'JWT access token': jwt,
      'JWT signature': jwt.split('.')[2],
      'JWT claims segment': jwt.split('.')[1],
      'opaque access token': opaque,
    };
    for (const [what, value] of Object.entries(forbidden)) {
      expect({ what, found: everything.includes(value) }).toEqual({ what, found: false });
    }
    // The query-string token request is still there, its value redacted.
    const query = receiver.spans.find(
      (s) => s.traceId === traceId && s.attributes['url.query'] !== undefined && String(s.attributes['url.query']).includes('access_token'),
    );
    expect(query?.attributes['url.query']).toBe('access_token=REDACTED&lang=en');
  });
});
