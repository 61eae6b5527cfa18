import type { IncomingMessage } from 'node:http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { RedactingSpanExporter } from './lib/span-redaction';

/** Paths never traced: probes and scrapes would bury the OAuth flows under noise. */
const UNTRACED_PATH = /\/(health|metrics)(\?|$)/;

/**
 * The instrumentations this SDK can load, by the short names `@opentelemetry/auto-instrumentations-node`
 * uses in `OTEL_NODE_ENABLED_INSTRUMENTATIONS`. Factories, because constructing an instrumentation
 * already enables it (it hooks `require` and patches its module): one that is left out must never
 * be constructed.
 */
const INSTRUMENTATIONS = {
  http: () =>
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request: IncomingMessage) => UNTRACED_PATH.test(request.url ?? ''),
    }),
  undici: () => new UndiciInstrumentation(),
  pg: () => new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
  'nestjs-core': () => new NestInstrumentation(),
} satisfies Record<string, () => Instrumentation>;

type InstrumentationName = keyof typeof INSTRUMENTATIONS;

/** Loaded unless the environment says otherwise: everything but `nestjs-core`. */
const DEFAULT_INSTRUMENTATIONS: readonly InstrumentationName[] = ['http', 'undici', 'pg'];

/**
 * The instrumentations to load, by short name: those listed in `OTEL_NODE_ENABLED_INSTRUMENTATIONS`
 * (comma-separated, e.g. `http,undici,pg,nestjs-core`; unknown names ignored), or
 * `http,undici,pg` when it is unset; minus those in `OTEL_NODE_DISABLED_INSTRUMENTATIONS`. The
 * variables and names are those of `@opentelemetry/auto-instrumentations-node`.
 */
export function instrumentationNames(env: NodeJS.ProcessEnv = process.env): InstrumentationName[] {
  const list = (value: string | undefined) =>
    (value ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter((name): name is InstrumentationName => Object.hasOwn(INSTRUMENTATIONS, name));
  const enabled = env['OTEL_NODE_ENABLED_INSTRUMENTATIONS'] ? list(env['OTEL_NODE_ENABLED_INSTRUMENTATIONS']) : DEFAULT_INSTRUMENTATIONS;
  const disabled = new Set(list(env['OTEL_NODE_DISABLED_INSTRUMENTATIONS']));
  return [...new Set(enabled)].filter((name) => !disabled.has(name));
}

/**
 * Starts the OpenTelemetry SDK for Node in this process. Must run before NestJS, Fastify or `pg`
 * are loaded (the instrumentations patch them as they are required): each app imports
 * `./instrumentation` as the very first line of `main.ts`.
 *
 * - Propagation: W3C `traceparent`/`tracestate` (the SDK default; `OTEL_PROPAGATORS` overrides),
 *   accepted on incoming requests and injected into every outgoing one — `http` and Node's
 *   `fetch` (undici) alike.
 * - Spans: HTTP server and client (`http`, `undici`), PostgreSQL queries (`pg`, only inside a
 *   traced request or run: pool housekeeping and migrations are not traced). Query parameters are
 *   never recorded (`enhancedDatabaseReporting: false`), request and response headers are not
 *   captured. NestJS spans (`nestjs-core`: one per handler and per request context) are left out
 *   unless named in `OTEL_NODE_ENABLED_INSTRUMENTATIONS`: they tripled the spans of a
 *   resource-server request and cost more than the request itself, for no fact the console
 *   shows — the `oauth.*` attributes land on the HTTP server span instead (ADR 0012).
 * - Redaction: spans leave through RedactingSpanExporter (credential query parameters and
 *   anything JWT-shaped removed), whatever an instrumentation recorded.
 * - Export: OTLP/HTTP (JSON) to `OTEL_EXPORTER_OTLP_ENDPOINT` (or
 *   `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), read by the exporter itself, so the same build sends
 *   to the console, Jaeger, Tempo or any collector. Without either variable the SDK is not
 *   started at all: no span, no propagation, no cost.
 *   Spans leave in batches every `OTEL_BSP_SCHEDULE_DELAY` ms (default here 500, not the SDK's
 *   5000, so the console shows a flow within a second).
 * - `OTEL_SDK_DISABLED=true` turns all of it off; `OTEL_SERVICE_NAME` overrides `serviceName`;
 *   `OTEL_NODE_ENABLED_INSTRUMENTATIONS` / `OTEL_NODE_DISABLED_INSTRUMENTATIONS` choose the
 *   instrumentations (see `instrumentationNames`).
 *
 * Returns the SDK (for tests) or undefined when disabled.
 */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): NodeSDK | undefined {
  if (env['OTEL_SDK_DISABLED'] === 'true') return undefined;
  // No collector, no SDK: the instrumentations cost even when nothing records (measured: the
  // JWT route of ms-system served 0.40× the requests with the SDK on and no exporter).
  if (!env['OTEL_EXPORTER_OTLP_ENDPOINT'] && !env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']) return undefined;
  const spanProcessors: SpanProcessor[] = [
    new BatchSpanProcessor(new RedactingSpanExporter(new OTLPTraceExporter()), {
      scheduledDelayMillis: Number(env['OTEL_BSP_SCHEDULE_DELAY'] ?? 500),
    }),
  ];
  const instrumentations = instrumentationNames(env).map((name) => INSTRUMENTATIONS[name]());
  const sdk = new NodeSDK({
    serviceName: env['OTEL_SERVICE_NAME'] ?? serviceName,
    spanProcessors,
    // Metrics go out as Prometheus text (prom-client, /metrics) and logs through pino: the SDK
    // exports traces only, whatever OTEL_METRICS_EXPORTER / OTEL_LOGS_EXPORTER default to.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations,
  });
  sdk.start();
  // Flush what is still batched when the process ends normally (Nest's shutdown hooks close
  // the app first; the exporter then has its batch timeout to deliver).
  process.once('beforeExit', () => void sdk.shutdown().catch(() => undefined));
  return sdk;
}
