import { redactAttributes, redactText, redactUrl } from './redaction';
import type { AttributeValue, ConsoleSpan } from './span';

/** The caller of a request whose parent span is unknown: curl, a browser, a test. */
export const EXTERNAL_CLIENT = 'client';
export const POSTGRES = 'postgres';

/** One request/response between two participants (docs/contract.md, console API). */
export interface Exchange {
  /** Span id of the span that stands for it (the client span when both sides were seen). */
  id: string;
  /** Id of the exchange this one happened inside (the request that caused it), if any. */
  parentId?: string;
  from: string;
  to: string;
  /** HTTP method, or the SQL operation for `postgres`. */
  method: string;
  /** URL path (no query), or the redacted SQL text for `postgres`. */
  path: string;
  status?: number;
  durationMs: number;
  /** Start, ms after the flow's start (clock skew corrected). */
  offsetMs: number;
  depth: number;
  error: boolean;
  /** `oauth.*` attributes recorded while it was handled, and the redacted query. */
  oauth: Record<string, AttributeValue>;
}

/** A span on the timing waterfall. */
export interface WaterfallSpan {
  spanId: string;
  parentSpanId?: string;
  name: string;
  service: string;
  kind: ConsoleSpan['kind'];
  offsetMs: number;
  durationMs: number;
  depth: number;
  database: boolean;
  error: boolean;
}

export interface Flow {
  traceId: string;
  /** ISO 8601 start of the earliest span. */
  startedAt: string;
  durationMs: number;
  /** Participants in order of first appearance. */
  participants: string[];
  exchanges: Exchange[];
  waterfall: WaterfallSpan[];
  /** A short name: the first exchange, e.g. `client → ms-system GET /ms-system/country/code/AUS`. */
  title: string;
  /** True when the flow has no caller outside the services (a poll, a boot, a timer). */
  background: boolean;
}

/** Base paths of the playground's services (docs/contract.md): a client span's target when no server span answers. */
const BASE_PATHS: [string, string][] = [
  ['/ms-auth-server', 'auth-server'],
  ['/ms-system', 'ms-system'],
  ['/archival-service', 'archival-service'],
  ['/console', 'console'],
];

/**
 * Builds a flow from the spans of one trace (any order, duplicates allowed, parents possibly
 * missing). Steps:
 * 1. Clock skew: every process has its own clock, so a server span may appear to start before
 *    the client span that caused it. A span of another service that does not fit inside its
 *    parent is shifted (with its subtree) to sit centred in it, as Jaeger's adjuster does.
 *    Spans of one service share a clock and are never moved relative to each other.
 * 2. Exchanges: a server span is an exchange from the service of its parent client span (or
 *    from `client` when that parent is unknown: a caller outside the traced services); a client
 *    span nobody answered is an exchange to the service its path names; a PostgreSQL query is an
 *    exchange to `postgres` (connection-pool spans are not).
 * 3. Order: by corrected start, the enclosing exchange first on ties.
 * 4. What is shown is redacted (redaction.ts).
 */
export function assembleFlow(traceId: string, input: readonly ConsoleSpan[]): Flow | undefined {
  const byId = new Map<string, ConsoleSpan>();
  for (const span of input) if (span.traceId === traceId) byId.set(span.spanId, { ...span });
  if (byId.size === 0) return undefined;
  const spans = [...byId.values()];
  const children = new Map<string, ConsoleSpan[]>();
  const roots: ConsoleSpan[] = [];
  for (const span of spans) {
    const parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined;
    if (!parent || createsCycle(span, byId)) roots.push(span);
    else children.set(parent.spanId, [...(children.get(parent.spanId) ?? []), span]);
  }
  const depth = new Map<string, number>();
  const visit = (span: ConsoleSpan, level: number) => {
    depth.set(span.spanId, level);
    for (const child of children.get(span.spanId) ?? []) {
      if (child.service !== span.service) correctSkew(span, child, children);
      visit(child, level + 1);
    }
  };
  for (const root of roots) visit(root, 0);
  const parentOf = (span: ConsoleSpan) => (span.parentSpanId && depth.has(span.spanId) ? byId.get(span.parentSpanId) : undefined);

  const start = Math.min(...spans.map((s) => s.startMs));
  const end = Math.max(...spans.map((s) => s.endMs));
  const byStart = (a: { startMs: number; spanId: string }, b: { startMs: number; spanId: string }) =>
    a.startMs - b.startMs || (depth.get(a.spanId) ?? 0) - (depth.get(b.spanId) ?? 0) || a.spanId.localeCompare(b.spanId);

  // Which spans stand for an exchange, and who is on either side.
  const answered = new Set<string>(); // client spans a server span of the trace answered
  for (const span of spans) {
    const parent = parentOf(span);
    if (span.kind === 'server' && parent?.kind === 'client') answered.add(parent.spanId);
  }
  interface Draft {
    span: ConsoleSpan; // the span whose timing is shown (the caller's view when there is one)
    server?: ConsoleSpan;
    from: string;
    to: string;
    database: boolean;
  }
  const drafts = new Map<string, Draft>(); // keyed by every span id the exchange covers
  const list: Draft[] = [];
  for (const span of [...spans].sort(byStart)) {
    let draft: Draft | undefined;
    if (isDatabase(span)) {
      if (!/\bconnect$/.test(span.name)) draft = { span, from: span.service, to: POSTGRES, database: true };
    } else if (span.kind === 'server' && isHttp(span)) {
      const parent = parentOf(span);
      if (parent?.kind === 'client') draft = { span: parent, server: span, from: parent.service, to: span.service, database: false };
      else draft = { span, server: span, from: parent ? parent.service : EXTERNAL_CLIENT, to: span.service, database: false };
    } else if (span.kind === 'client' && isHttp(span) && !answered.has(span.spanId)) {
      draft = { span, from: span.service, to: targetOf(span), database: false };
    }
    if (!draft) continue;
    list.push(draft);
    drafts.set(draft.span.spanId, draft);
    if (draft.server) drafts.set(draft.server.spanId, draft);
  }

  // Enclosing exchange of a span: the nearest ancestor (or itself) that stands for one.
  const enclosing = (span: ConsoleSpan | undefined): Draft | undefined => {
    for (let s = span, guard = 0; s && guard < 1000; s = parentOf(s), guard++) {
      const draft = drafts.get(s.spanId);
      if (draft) return draft;
    }
    return undefined;
  };
  const oauthOf = new Map<Draft, Record<string, AttributeValue>>();
  for (const span of spans) {
    const oauth = Object.entries(span.attributes).filter(([key]) => key.startsWith('oauth.'));
    if (!oauth.length) continue;
    const draft = enclosing(span);
    if (draft) oauthOf.set(draft, { ...oauthOf.get(draft), ...Object.fromEntries(oauth) });
  }

  const exchangeDepth = (draft: Draft) => {
    let level = 0;
    for (let d = enclosing(parentOf(draft.span)); d && level < 1000; d = enclosing(parentOf(d.span))) level++;
    return level;
  };
  const exchanges: Exchange[] = list.map((draft) => {
    const { span, server } = draft;
    const attributes = { ...span.attributes, ...server?.attributes };
    const query = attributes['url.query'];
    const parent = enclosing(parentOf(draft.span));
    return {
      id: span.spanId,
      parentId: parent?.span.spanId,
      from: draft.from,
      to: draft.to,
      method: draft.database ? sqlOperation(span) : String(attributes['http.request.method'] ?? attributes['http.method'] ?? span.name),
      path: draft.database ? sqlText(span) : pathOf(span, server),
      status: numberOrUndefined(attributes['http.response.status_code'] ?? attributes['http.status_code']),
      durationMs: round(span.endMs - span.startMs),
      offsetMs: round(span.startMs - start),
      depth: exchangeDepth(draft),
      error: span.error || Boolean(server?.error),
      oauth: redactAttributes({ ...oauthOf.get(draft), ...(query ? { 'url.query': query } : {}) }),
    };
  });

  const participants: string[] = [];
  for (const e of exchanges) for (const p of [e.from, e.to]) if (!participants.includes(p)) participants.push(p);
  const first = exchanges.find((e) => e.to !== POSTGRES) ?? exchanges[0];
  return {
    traceId,
    startedAt: new Date(start).toISOString(),
    durationMs: round(end - start),
    participants,
    exchanges,
    waterfall: [...spans].sort(byStart).map((span) => ({
      spanId: span.spanId,
      parentSpanId: span.parentSpanId,
      name: redactText(span.name),
      service: span.service,
      kind: span.kind,
      offsetMs: round(span.startMs - start),
      durationMs: round(span.endMs - span.startMs),
      depth: depth.get(span.spanId) ?? 0,
      database: isDatabase(span),
      error: span.error,
    })),
    title: first ? `${first.from} → ${first.to} ${first.method} ${first.path}` : (roots[0]?.name ?? traceId),
    background: !exchanges.some((e) => e.from === EXTERNAL_CLIENT && e.depth === 0),
  };
}

/** `child` (another service, another clock) is moved, with its subtree, to sit inside `parent`. */
function correctSkew(parent: ConsoleSpan, child: ConsoleSpan, children: Map<string, ConsoleSpan[]>): void {
  if (child.startMs >= parent.startMs && child.endMs <= parent.endMs) return;
  const childDuration = child.endMs - child.startMs;
  const parentDuration = parent.endMs - parent.startMs;
  const target = childDuration <= parentDuration ? parent.startMs + (parentDuration - childDuration) / 2 : parent.startMs;
  const shift = target - child.startMs;
  const move = (span: ConsoleSpan, seen: Set<string>) => {
    if (seen.has(span.spanId)) return;
    seen.add(span.spanId);
    span.startMs += shift;
    span.endMs += shift;
    for (const c of children.get(span.spanId) ?? []) move(c, seen);
  };
  move(child, new Set());
}

function createsCycle(span: ConsoleSpan, byId: Map<string, ConsoleSpan>): boolean {
  const seen = new Set([span.spanId]);
  for (let p = span.parentSpanId; p; p = byId.get(p)?.parentSpanId) {
    if (seen.has(p)) return true;
    seen.add(p);
  }
  return false;
}

function isDatabase(span: ConsoleSpan): boolean {
  const system = span.attributes['db.system.name'] ?? span.attributes['db.system'];
  return system === 'postgresql';
}

function isHttp(span: ConsoleSpan): boolean {
  return 'http.request.method' in span.attributes || 'http.method' in span.attributes;
}

function targetOf(span: ConsoleSpan): string {
  const path = pathOf(span);
  const known = BASE_PATHS.find(([base]) => path === base || path.startsWith(`${base}/`));
  if (known) return known[1];
  const full = span.attributes['url.full'] ?? span.attributes['http.url'];
  try {
    return new URL(String(full)).host;
  } catch {
    return 'unknown';
  }
}

function pathOf(span: ConsoleSpan, server?: ConsoleSpan): string {
  const attributes = { ...span.attributes, ...server?.attributes };
  const path = attributes['url.path'] ?? attributes['http.target'];
  if (typeof path === 'string') return redactText(path.split('?')[0]);
  const full = attributes['url.full'] ?? attributes['http.url'];
  if (typeof full === 'string')
    return (
      redactUrl(full)
        .replace(/^[a-z]+:\/\/[^/]+/i, '')
        .split('?')[0] || '/'
    );
  return span.name;
}

function sqlOperation(span: ConsoleSpan): string {
  // instrumentation-pg names spans `pg.query:<prepared statement name or operation> <database>`:
  // a named statement (e.g. `auth_server_issue_token`) says more than its first keyword (`WITH`).
  const named = /^pg\.query:(\S+)/.exec(span.name)?.[1];
  if (named) return named;
  const operation = span.attributes['db.operation.name'] ?? span.attributes['db.operation'];
  if (typeof operation === 'string') return operation.toUpperCase();
  const text = sqlText(span);
  return /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? 'QUERY';
}

/** The statement text (parameterised: values are never recorded), one line, at most 120 chars. */
function sqlText(span: ConsoleSpan): string {
  const text = span.attributes['db.query.text'] ?? span.attributes['db.statement'] ?? span.name;
  const line = redactText(String(text)).replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

function numberOrUndefined(value: AttributeValue | undefined): number | undefined {
  const n = Number(value);
  return value === undefined || Number.isNaN(n) ? undefined : n;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
