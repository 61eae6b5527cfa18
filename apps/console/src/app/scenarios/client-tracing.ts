import { SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { ConsoleSpan, SpanKind as ConsoleSpanKind } from '../flows/span';

/** The participant name the console's own requests appear under: it plays the OAuth client. */
export const CLIENT_SERVICE = 'client';

type Sink = (span: ConsoleSpan) => void;
const sinks = new Set<Sink>();
let tracer: Tracer | undefined;

/**
 * The scenario buttons are a real OAuth client inside the console process, traced with the
 * OpenTelemetry SDK like the apps: a tracer provider (`service.name` = `client`) and the undici
 * instrumentation, so every `fetch` is a client span and carries W3C `traceparent` to the
 * services. Its spans do not travel over OTLP: a span processor hands them straight to the
 * console's store (`sink`). The console's own HTTP server is not instrumented, so receiving
 * traces never produces traces. Installed once per process; each app instance adds its sink.
 */
export function clientTracer(sink: Sink): { tracer: Tracer; close: () => void } {
  sinks.add(sink);
  if (!tracer) {
    const forward: SpanProcessor = {
      onStart: () => undefined,
      onEnd: (span: ReadableSpan) => {
        const converted = toConsoleSpan(span);
        for (const s of sinks) s(converted);
      },
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    };
    const provider = new NodeTracerProvider({
      resource: resourceFromAttributes({ 'service.name': CLIENT_SERVICE }),
      spanProcessors: [forward],
    });
    provider.register(); // AsyncLocalStorage context + W3C trace context propagation
    registerInstrumentations({ tracerProvider: provider, instrumentations: [new UndiciInstrumentation()] });
    tracer = trace.getTracer('playground-console');
  }
  return { tracer, close: () => sinks.delete(sink) };
}

const KINDS: Record<SpanKind, ConsoleSpanKind> = {
  [SpanKind.INTERNAL]: 'internal',
  [SpanKind.SERVER]: 'server',
  [SpanKind.CLIENT]: 'client',
  [SpanKind.PRODUCER]: 'producer',
  [SpanKind.CONSUMER]: 'consumer',
};

function toConsoleSpan(span: ReadableSpan): ConsoleSpan {
  const context = span.spanContext();
  const ms = ([seconds, nanos]: [number, number]) => seconds * 1000 + nanos / 1e6;
  const attributes: ConsoleSpan['attributes'] = {};
  for (const [key, value] of Object.entries(span.attributes)) {
    if (value === undefined || value === null) continue;
    attributes[key] = Array.isArray(value) ? value.join(' ') : (value as string | number | boolean);
  }
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    parentSpanId: span.parentSpanContext?.spanId,
    name: span.name,
    kind: KINDS[span.kind],
    service: CLIENT_SERVICE,
    startMs: ms(span.startTime),
    endMs: ms(span.endTime),
    attributes,
    error: span.status.code === SpanStatusCode.ERROR,
  };
}
