import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { context, type Tracer } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { CONSOLE_CONFIG, type ConsoleConfig } from '../config';
import { FlowStore } from '../flows/flow-store.service';
import { clientTracer } from './client-tracing';
import { inspectToken, unsampledTraceparent, type TokenView } from './token-inspector';

export type ScenarioName = 'walkthrough-opaque' | 'walkthrough-jwt' | 'revoke-then-retry' | 'insufficient-scope' | 'archival-run';

export interface ScenarioInfo {
  name: ScenarioName;
  title: string;
  description: string;
  /** The same requests as a shell script (curl), with a fresh traceparent so they show up here too. */
  curl: string;
}

/** One request the scenario made, as the client saw it. */
export interface ScenarioStep {
  label: string;
  method: string;
  url: string;
  status: number;
  durationMs: number;
  /** The response body with any token replaced (token responses), or a short note. */
  response?: unknown;
}

export interface ScenarioRun {
  scenario: ScenarioName;
  title: string;
  traceId: string;
  state: 'running' | 'done' | 'failed';
  steps: ScenarioStep[];
  tokens: TokenView[];
  outcome?: string;
}

interface Client {
  id: string;
  secret: string;
}

const TITLES: Record<ScenarioName, [string, string]> = {
  'walkthrough-opaque': ['walkthrough (opaque)', 'user-client-opaque gets an opaque token; ms-system introspects it at the auth-server.'],
  'walkthrough-jwt': ['walkthrough (JWT)', 'service-client-jwt gets an RFC 9068 JWT; ms-system verifies it locally with the JWKS.'],
  'revoke-then-retry': [
    'revoke, then retry',
    'A JWT works, is revoked (RFC 7009), and is retried until ms-system refuses it: the revocation window.',
  ],
  'insufficient-scope': [
    'insufficient scope',
    'A token with customer.read only calls a country.read route: 403 insufficient_scope (RFC 6750 §3.1).',
  ],
  'archival-run': ['trigger an archival run', 'archival-service gets its own token and reads ms-system: one trace across all three apps.'],
};

/**
 * The scenario buttons: a real OAuth client in the console process (plain `fetch`, traced by the
 * OpenTelemetry SDK: see client-tracing.ts). Each run is one trace: a root span `scenario: …`
 * whose requests carry its `traceparent`, so the services' spans join it. What the client saw
 * (statuses, decoded tokens) is attached to the flow; tokens themselves are never kept or shown.
 */
@Injectable()
export class ScenariosService implements OnModuleDestroy {
  private readonly logger = new Logger('Scenarios');
  private readonly tracer: Tracer;
  private readonly closeTracer: () => void;
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
    private readonly store: FlowStore,
  ) {
    ({ tracer: this.tracer, close: this.closeTracer } = clientTracer((span) => this.store.add([span])));
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled([...this.running]);
    this.closeTracer();
  }

  list(): ScenarioInfo[] {
    return (Object.keys(TITLES) as ScenarioName[]).map((name) => ({
      name,
      title: TITLES[name][0],
      description: TITLES[name][1],
      curl: this.curl(name),
    }));
  }

  isScenario(name: string): name is ScenarioName {
    return name in TITLES;
  }

  /** Starts a run; resolves with its trace id at once (the page follows it live), `done` when finished. */
  start(name: ScenarioName): { traceId: string; done: Promise<ScenarioRun> } {
    let traceId = '';
    const done = this.tracer.startActiveSpan(`scenario: ${TITLES[name][0]}`, (root) => {
      traceId = root.spanContext().traceId;
      const run: ScenarioRun = { scenario: name, title: TITLES[name][0], traceId, state: 'running', steps: [], tokens: [] };
      this.publish(run);
      return this.play(name, run)
        .then(() => {
          run.state = 'done';
          return run;
        })
        .catch((error: unknown) => {
          run.state = 'failed';
          run.outcome = `failed: ${(error as Error)?.message ?? String(error)}`;
          this.logger.warn(`${name}: ${run.outcome}`);
          return run;
        })
        .finally(() => {
          root.end();
          this.publish(run);
        });
    });
    this.running.add(done);
    void done.finally(() => this.running.delete(done));
    return { traceId, done };
  }

  private publish(run: ScenarioRun): void {
    this.store.attachScenario(run.traceId, { ...run, steps: [...run.steps], tokens: [...run.tokens] });
  }

  private async play(name: ScenarioName, run: ScenarioRun): Promise<void> {
    const opaque = { id: this.config.OPAQUE_CLIENT_ID, secret: this.config.OPAQUE_CLIENT_SECRET };
    const jwt = { id: this.config.JWT_CLIENT_ID, secret: this.config.JWT_CLIENT_SECRET };
    switch (name) {
      case 'walkthrough-opaque':
      case 'walkthrough-jwt': {
        const token = await this.token(run, name === 'walkthrough-jwt' ? jwt : opaque, 'country.read');
        const status = await this.country(run, token);
        run.outcome = status === 200 ? 'ms-system accepted the token: 200' : `ms-system answered ${status}`;
        return;
      }
      case 'insufficient-scope': {
        const token = await this.token(run, jwt, 'customer.read');
        const status = await this.country(run, token);
        run.outcome = status === 403 ? 'refused as it should be: 403 insufficient_scope' : `unexpected: ms-system answered ${status}`;
        return;
      }
      case 'revoke-then-retry':
        return this.revokeThenRetry(run, jwt);
      case 'archival-run':
        return this.archivalRun(run);
    }
  }

  private async revokeThenRetry(run: ScenarioRun, client: Client): Promise<void> {
    const token = await this.token(run, client, 'country.read');
    await this.country(run, token);
    const body = new URLSearchParams({ token, token_type_hint: 'access_token' });
    await this.request(run, 'revoke the token', 'POST', `${this.config.AUTH_SERVER_URL}/oauth2/revoke`, {
      headers: { authorization: basic(client), 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
    const revokedAt = Date.now();
    // ms-system learns revocations from the feed it polls (ADR 0003): retry until refused.
    for (let attempt = 1; attempt <= 15; attempt++) {
      const status = await this.country(run, token, `retry #${attempt}`);
      if (status === 401) {
        run.outcome = `refused ${((Date.now() - revokedAt) / 1000).toFixed(1)} s after the revocation (window: at most 10 s)`;
        return;
      }
      this.publish(run);
      await sleep(1000);
    }
    run.outcome = 'still accepted 15 s after the revocation: the window was not honoured';
  }

  private async archivalRun(run: ScenarioRun): Promise<void> {
    const base = this.config.ARCHIVAL_SERVICE_URL;
    const created = (await this.request(run, 'trigger a run', 'POST', `${base}/runs`, {
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })) as { id?: string; status?: string } | undefined;
    if (!created?.id) throw new Error('archival-service did not queue a run');
    // Wait for the run without tracing the polls: the flow shows the run, not the waiting.
    for (let i = 0; i < 30; i++) {
      const current = await context.with(suppressTracing(context.active()), () => getJson(`${base}/runs/${created.id}`));
      const status = (current as { status?: string })?.status;
      if (status === 'succeeded' || status === 'failed') {
        run.outcome = `run ${status}`;
        return;
      }
      await sleep(500);
    }
    run.outcome = 'the run did not finish within 15 s';
  }

  private async token(run: ScenarioRun, client: Client, scope: string): Promise<string> {
    const body = new URLSearchParams({ grant_type: 'client_credentials', scope });
    const response = (await this.request(run, `token for ${client.id}`, 'POST', `${this.config.AUTH_SERVER_URL}/oauth2/token`, {
      headers: { authorization: basic(client), 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    })) as { access_token?: string; expires_in?: number } | undefined;
    if (!response?.access_token) throw new Error('no access token');
    run.tokens.push(await inspectToken(response.access_token, response.expires_in, this.config.AUTH_SERVER_URL));
    this.publish(run);
    return response.access_token;
  }

  private async country(run: ScenarioRun, token: string, label = 'GET a country'): Promise<number> {
    await this.request(run, label, 'GET', `${this.config.MS_SYSTEM_URL}/country/code/AUS`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return run.steps[run.steps.length - 1].status;
  }

  /** One traced request; records what the client saw with any token removed from the body. */
  private async request(run: ScenarioRun, label: string, method: string, url: string, init: RequestInit): Promise<unknown> {
    const started = performance.now();
    const response = await fetch(url, { ...init, method, signal: AbortSignal.timeout(10_000) });
    const text = await response.text();
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    run.steps.push({
      label,
      method,
      url,
      status: response.status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      response: withoutTokens(body, response.headers.get('www-authenticate')),
    });
    this.publish(run);
    return body;
  }

  /** The scenario as curl commands (the seeded secrets are the README's; yours if you changed them). */
  private curl(name: ScenarioName): string {
    const { AUTH_SERVER_URL: auth, MS_SYSTEM_URL: ms, ARCHIVAL_SERVICE_URL: archival } = this.config;
    const traceparent = `TRACEPARENT="00-$(openssl rand -hex 16)-$(openssl rand -hex 8)-01"  # shows up in the console under that trace id`;
    const tokenFor = (id: string, secretVar: string, scope: string) =>
      `TOKEN=$(curl -s -H "traceparent: $TRACEPARENT" -u "${id}:$${secretVar}" -d grant_type=client_credentials -d scope=${scope} \\\n  ${auth}/oauth2/token | node -p 'JSON.parse(require("fs").readFileSync(0)).access_token')`;
    const get = `curl -i -H "traceparent: $TRACEPARENT" -H "Authorization: Bearer $TOKEN" ${ms}/country/code/AUS`;
    const secrets = {
      opaque: `OPAQUE_SECRET='${this.config.OPAQUE_CLIENT_SECRET === 'user-client-secret' ? 'user-client-secret' : '<your secret>'}'  # seeded playground secret (README)`,
      jwt: `JWT_SECRET='${this.config.JWT_CLIENT_SECRET === 'service-client-jwt-secret' ? 'service-client-jwt-secret' : '<your secret>'}'  # seeded playground secret (README)`,
    };
    switch (name) {
      case 'walkthrough-opaque':
        return [traceparent, secrets.opaque, tokenFor(this.config.OPAQUE_CLIENT_ID, 'OPAQUE_SECRET', 'country.read'), get].join('\n');
      case 'walkthrough-jwt':
        return [traceparent, secrets.jwt, tokenFor(this.config.JWT_CLIENT_ID, 'JWT_SECRET', 'country.read'), get].join('\n');
      case 'insufficient-scope':
        return [traceparent, secrets.jwt, tokenFor(this.config.JWT_CLIENT_ID, 'JWT_SECRET', 'customer.read'), `${get}  # 403`].join('\n');
      case 'revoke-then-retry':
        return [
          traceparent,
          secrets.jwt,
          tokenFor(this.config.JWT_CLIENT_ID, 'JWT_SECRET', 'country.read'),
          get,
          `curl -i -H "traceparent: $TRACEPARENT" -u "${this.config.JWT_CLIENT_ID}:$JWT_SECRET" -d "token=$TOKEN" ${auth}/oauth2/revoke`,
          `until curl -s -o /dev/null -w '%{http_code}\\n' -H "Authorization: Bearer $TOKEN" ${ms}/country/code/AUS | grep -q 401; do sleep 1; done; echo refused`,
        ].join('\n');
      case 'archival-run':
        return [traceparent, `curl -i -H "traceparent: $TRACEPARENT" -H 'content-type: application/json' -d '{}' ${archival}/runs`].join(
          '\n',
        );
    }
  }
}

function basic({ id, secret }: Client): string {
  // RFC 6749 §2.3.1: form-urlencode each part before Base64.
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

/** A response body safe to show: token responses lose the token; 401/403 keep their challenge. */
function withoutTokens(body: unknown, challenge: string | null): unknown {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const copy = { ...(body as Record<string, unknown>) };
    for (const key of ['access_token', 'refresh_token', 'id_token']) if (key in copy) copy[key] = '[not shown: decoded below]';
    return challenge ? { ...copy, 'www-authenticate': challenge } : copy;
  }
  if (Array.isArray(body)) return `[${body.length} items]`;
  return challenge ? { 'www-authenticate': challenge } : body;
}

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url, { headers: { traceparent: unsampledTraceparent() }, signal: AbortSignal.timeout(5000) });
  return response.ok ? response.json() : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
