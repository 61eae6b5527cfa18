import { assembleFlow, type Flow } from './assemble-flow';
import type { ConsoleSpan } from './span';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
let next = 0;
/** A span factory: times in ms from an arbitrary epoch. */
function span(partial: Partial<ConsoleSpan> & Pick<ConsoleSpan, 'service' | 'kind' | 'startMs' | 'endMs'>): ConsoleSpan {
  next++;
  return { traceId: TRACE, spanId: next.toString(16).padStart(16, '0'), name: 'span', attributes: {}, error: false, ...partial };
}
/** assembleFlow, failing the test when there is no flow. */
function flowOf(spans: ConsoleSpan[]): Flow {
  const flow = assembleFlow(TRACE, spans);
  if (!flow) throw new Error('no flow');
  return flow;
}
const http = (method: string, path: string, status?: number) => ({
  'http.request.method': method,
  'url.path': path,
  ...(status ? { 'http.response.status_code': status } : {}),
});

/** The walkthrough (JWT): client → auth-server (token, one query), client → ms-system → auth-server (JWKS). */
function walkthrough(): ConsoleSpan[] {
  const t0 = 1_700_000_000_000;
  const tokenClient = span({
    service: 'client',
    kind: 'client',
    startMs: t0,
    endMs: t0 + 50,
    attributes: http('POST', '/ms-auth-server/oauth2/token', 200),
  });
  const tokenServer = span({
    service: 'auth-server',
    kind: 'server',
    parentSpanId: tokenClient.spanId,
    startMs: t0 + 2,
    endMs: t0 + 48,
    attributes: http('POST', '/ms-auth-server/oauth2/token', 200),
  });
  const handler = span({
    service: 'auth-server',
    kind: 'internal',
    parentSpanId: tokenServer.spanId,
    startMs: t0 + 3,
    endMs: t0 + 47,
    attributes: { 'oauth.client_id': 'service-client-jwt', 'oauth.token_format': 'jwt' },
  });
  const insert = span({
    service: 'auth-server',
    kind: 'client',
    parentSpanId: handler.spanId,
    startMs: t0 + 10,
    endMs: t0 + 20,
    attributes: { 'db.system.name': 'postgresql', 'db.query.text': 'INSERT INTO tokens VALUES ($1)', 'db.operation.name': 'INSERT' },
  });
  const connect = span({
    service: 'auth-server',
    kind: 'client',
    name: 'pg-pool.connect',
    parentSpanId: handler.spanId,
    startMs: t0 + 5,
    endMs: t0 + 6,
    attributes: { 'db.system.name': 'postgresql' },
  });
  const countryClient = span({
    service: 'client',
    kind: 'client',
    startMs: t0 + 60,
    endMs: t0 + 100,
    attributes: http('GET', '/ms-system/country/code/AUS', 200),
  });
  const countryServer = span({
    service: 'ms-system',
    kind: 'server',
    parentSpanId: countryClient.spanId,
    startMs: t0 + 61,
    endMs: t0 + 99,
    attributes: http('GET', '/ms-system/country/code/AUS', 200),
  });
  const jwksClient = span({
    service: 'ms-system',
    kind: 'client',
    parentSpanId: countryServer.spanId,
    startMs: t0 + 65,
    endMs: t0 + 80,
    attributes: {
      'http.request.method': 'GET',
      'url.full': 'http://localhost:8085/ms-auth-server/oauth2/jwks',
      'http.response.status_code': 200,
    },
  });
  const jwksServer = span({
    service: 'auth-server',
    kind: 'server',
    parentSpanId: jwksClient.spanId,
    startMs: t0 + 66,
    endMs: t0 + 79,
    attributes: http('GET', '/ms-auth-server/oauth2/jwks', 200),
  });
  return [tokenClient, tokenServer, handler, insert, connect, countryClient, countryServer, jwksClient, jwksServer];
}

describe('assembleFlow', () => {
  it('turns the walkthrough into exchanges in order: client → auth-server (token) → postgres, client → ms-system → auth-server (JWKS)', () => {
    const flow = flowOf(walkthrough());
    expect(flow.exchanges.map((e) => [e.from, e.to, e.method, e.path, e.status, e.depth])).toEqual([
      ['client', 'auth-server', 'POST', '/ms-auth-server/oauth2/token', 200, 0],
      ['auth-server', 'postgres', 'INSERT', 'INSERT INTO tokens VALUES ($1)', undefined, 1],
      ['client', 'ms-system', 'GET', '/ms-system/country/code/AUS', 200, 0],
      ['ms-system', 'auth-server', 'GET', '/ms-auth-server/oauth2/jwks', 200, 1],
    ]);
    expect(flow.participants).toEqual(['client', 'auth-server', 'postgres', 'ms-system']);
    expect(flow.durationMs).toBe(100);
    expect(flow.title).toBe('client → auth-server POST /ms-auth-server/oauth2/token');
    expect(flow.background).toBe(false);
  });

  it('shows the caller’s timing for a request both sides traced, and nests what it caused', () => {
    const flow = flowOf(walkthrough());
    const [token, insert, country, jwks] = flow.exchanges;
    expect(token.durationMs).toBe(50); // the client span, network included
    expect(insert.parentId).toBe(token.id);
    expect(jwks.parentId).toBe(country.id);
    expect(jwks.offsetMs).toBe(65);
  });

  it('collects the oauth.* attributes recorded while an exchange was handled', () => {
    const [token] = flowOf(walkthrough()).exchanges;
    expect(token.oauth).toEqual({ 'oauth.client_id': 'service-client-jwt', 'oauth.token_format': 'jwt' });
  });

  it('gives the same flow whatever order the spans arrive in, and ignores duplicates', () => {
    const spans = walkthrough();
    const shuffled = [...spans].reverse().concat(spans.slice(0, 3));
    expect(assembleFlow(TRACE, shuffled)).toEqual(assembleFlow(TRACE, spans));
  });

  it('treats a server span whose parent is unknown (curl with a traceparent) as called by `client`', () => {
    const t0 = 1000;
    const server = span({
      service: 'ms-system',
      kind: 'server',
      parentSpanId: 'b7ad6b7169203331',
      startMs: t0,
      endMs: t0 + 10,
      attributes: http('GET', '/ms-system/country', 401),
    });
    const flow = flowOf([server]);
    expect(flow.exchanges).toMatchObject([{ from: 'client', to: 'ms-system', status: 401, depth: 0 }]);
  });

  it('keeps a subtree whose parent has not arrived yet as its own root, and joins it once the parent comes', () => {
    const spans = walkthrough();
    const withoutJwksClient = spans.filter((s) => s.spanId !== spans[7].spanId);
    const partial = flowOf(withoutJwksClient);
    expect(partial.exchanges.find((e) => e.path.endsWith('/jwks'))).toMatchObject({ from: 'client', depth: 0 });
    const complete = flowOf(spans);
    expect(complete.exchanges.find((e) => e.path.endsWith('/jwks'))).toMatchObject({ from: 'ms-system', depth: 1 });
  });

  it('corrects clock skew: a server span that seems to start before its caller is moved inside it, with its children', () => {
    const t0 = 5000;
    const caller = span({
      service: 'client',
      kind: 'client',
      startMs: t0,
      endMs: t0 + 40,
      attributes: http('POST', '/ms-auth-server/oauth2/token', 200),
    });
    // auth-server's clock is 300 ms behind.
    const server = span({
      service: 'auth-server',
      kind: 'server',
      parentSpanId: caller.spanId,
      startMs: t0 - 300 + 5,
      endMs: t0 - 300 + 35,
      attributes: http('POST', '/ms-auth-server/oauth2/token', 200),
    });
    const query = span({
      service: 'auth-server',
      kind: 'client',
      parentSpanId: server.spanId,
      startMs: t0 - 300 + 10,
      endMs: t0 - 300 + 20,
      attributes: { 'db.system.name': 'postgresql', 'db.query.text': 'SELECT 1' },
    });
    const flow = flowOf([query, server, caller]);
    expect(flow.exchanges.map((e) => [e.to, e.offsetMs, e.durationMs])).toEqual([
      ['auth-server', 0, 40],
      ['postgres', 10, 10], // shifted with its server span: centred 5 ms into the 40 ms call
    ]);
    expect(flow.durationMs).toBe(40);
    const waterfall = Object.fromEntries(flow.waterfall.map((w) => [w.spanId, w.offsetMs]));
    expect(waterfall[server.spanId]).toBe(5);
  });

  it('never moves spans of one service relative to each other', () => {
    const t0 = 0;
    const parent = span({
      service: 'ms-system',
      kind: 'server',
      startMs: t0,
      endMs: t0 + 10,
      attributes: http('GET', '/ms-system/x', 200),
    });
    const late = span({ service: 'ms-system', kind: 'internal', parentSpanId: parent.spanId, startMs: t0 + 8, endMs: t0 + 30 });
    const flow = flowOf([parent, late]);
    expect(flow.waterfall.find((w) => w.spanId === late.spanId)?.offsetMs).toBe(8);
    expect(flow.durationMs).toBe(30);
  });

  it('marks a flow nobody outside called (a feed poll) as background', () => {
    const poll = span({
      service: 'ms-system',
      kind: 'client',
      startMs: 0,
      endMs: 5,
      attributes: {
        'http.request.method': 'GET',
        'url.full': 'http://localhost:8085/ms-auth-server/oauth2/revocations?after=3',
        'http.response.status_code': 200,
      },
    });
    const flow = flowOf([poll]);
    expect(flow.exchanges).toMatchObject([{ from: 'ms-system', to: 'auth-server', path: '/ms-auth-server/oauth2/revocations' }]);
    expect(flow.background).toBe(true);
  });

  it('survives a parent cycle and ignores spans of other traces', () => {
    const a = span({ service: 'x', kind: 'server', startMs: 0, endMs: 1, attributes: http('GET', '/a', 200) });
    const b = span({ service: 'x', kind: 'server', startMs: 0, endMs: 1, attributes: http('GET', '/b', 200) });
    a.parentSpanId = b.spanId;
    b.parentSpanId = a.spanId;
    const other = { ...span({ service: 'x', kind: 'server', startMs: 0, endMs: 1 }), traceId: 'f'.repeat(32) };
    expect(flowOf([a, b, other]).exchanges).toHaveLength(2);
    expect(assembleFlow(TRACE, [other])).toBeUndefined();
  });

  it('labels a PostgreSQL query by its prepared-statement name when it has one, else by its operation', () => {
    const named = span({
      service: 'auth-server',
      kind: 'client',
      name: 'pg.query:auth_server_issue_token playground',
      startMs: 0,
      endMs: 1,
      attributes: { 'db.system.name': 'postgresql', 'db.operation.name': 'WITH', 'db.query.text': 'WITH c AS (SELECT 1) SELECT 1' },
    });
    const plain = span({
      service: 'auth-server',
      kind: 'client',
      name: 'pg.query:SELECT playground',
      startMs: 2,
      endMs: 3,
      attributes: { 'db.system.name': 'postgresql', 'db.query.text': 'SELECT 1' },
    });
    expect(flowOf([named, plain]).exchanges.map((e) => e.method)).toEqual(['auth_server_issue_token', 'SELECT']);
  });

  it('redacts what it shows: no JWT in a path, no credential in a query', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const server = span({
      service: 'ms-system',
      kind: 'server',
      startMs: 0,
      endMs: 1,
      attributes: { ...http('GET', `/ms-system/${jwt}`, 400), 'url.query': '?access_token=opaque-secret' },
    });
    const flow = flowOf([server]);
    expect(JSON.stringify(flow)).not.toContain('c2lnbmF0dXJl');
    expect(JSON.stringify(flow)).not.toContain('opaque-secret');
    expect(flow.exchanges[0].oauth['url.query']).toBe('?access_token=[redacted]');
  });
});
