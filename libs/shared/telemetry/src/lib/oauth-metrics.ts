import { Counter, Gauge, Histogram, register } from 'prom-client';

/**
 * The playground's Prometheus metrics (docs/contract.md), in prom-client's default registry
 * beside the default process metrics. One process runs one app, so one registry per process is
 * what Prometheus expects; an app exposes it at `<base path>/metrics` (MetricsModule).
 * Label values are client ids, method names and statuses — never a credential.
 */
export const oauthMetrics = {
  /** auth-server: access tokens issued, by client and format (`opaque` | `jwt`). */
  tokensIssued: new Counter({
    name: 'oauth_tokens_issued_total',
    help: 'Access tokens issued, by client and token format.',
    labelNames: ['client_id', 'format'] as const,
  }),
  /** auth-server: failed client authentications, by method. */
  clientAuthFailures: new Counter({
    name: 'oauth_client_auth_failures_total',
    help: 'Failed client authentications, by client authentication method.',
    labelNames: ['method'] as const,
  }),
  /** Resource servers: RFC 7662 introspection calls made to the authorization server. */
  introspectionCalls: new Counter({
    name: 'oauth_introspection_calls_total',
    help: 'Introspection calls made to the authorization server.',
  }),
  /** Resource servers: tokens answered from the introspection cache. */
  introspectionCacheHits: new Counter({
    name: 'oauth_introspection_cache_hits_total',
    help: 'Tokens answered from the introspection cache without a call.',
  }),
  /** Resource servers: JWKS documents fetched from the authorization server. */
  jwksFetches: new Counter({
    name: 'oauth_jwks_fetches_total',
    help: 'JWKS documents fetched from the authorization server.',
  }),
  /** Resource servers: seconds since the revocations feed last answered (0 before the first sync). */
  revocationFeedLag: new Gauge({
    name: 'oauth_revocation_feed_lag_seconds',
    help: 'Seconds since the revocations feed was last read successfully.',
    collect() {
      this.set(revocationFeedSyncedAt ? (Date.now() - revocationFeedSyncedAt) / 1000 : 0);
    },
  }),
  /** archival-service: archive runs finished, by status. */
  archivalRuns: new Counter({
    name: 'archival_runs_total',
    help: 'Archive runs finished, by status.',
    labelNames: ['status'] as const,
  }),
  /** Every app: HTTP requests served, by method, route template and status (seconds). */
  httpRequestDuration: new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'Duration of HTTP requests served, by method, route and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  }),
};

let revocationFeedSyncedAt = 0;

/** Resource servers: the revocations feed answered at `atMs` (epoch ms). */
export function revocationFeedSynced(atMs = Date.now()): void {
  revocationFeedSyncedAt = atMs;
}

/** The registry `/metrics` serves. */
export const metricsRegistry = register;
