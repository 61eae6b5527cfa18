import { z } from 'zod';

export type SpanKind = 'internal' | 'server' | 'client' | 'producer' | 'consumer';
export type AttributeValue = string | number | boolean;

/** One span, whatever it came from (OTLP/JSON from an app, or the console's own client). */
export interface ConsoleSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: SpanKind;
  /** `service.name` of the process that recorded it. */
  service: string;
  /** Epoch milliseconds (fractional: OTLP carries nanoseconds). */
  startMs: number;
  endMs: number;
  attributes: Record<string, AttributeValue>;
  error: boolean;
}

/** OTLP `Span.kind` (SPAN_KIND_UNSPECIFIED = 0 … CONSUMER = 5). */
const KINDS: SpanKind[] = ['internal', 'internal', 'server', 'client', 'producer', 'consumer'];
const HEX_ID = (length: number) => z.string().regex(new RegExp(`^[0-9a-f]{${length}}$`));

const anyValue: z.ZodType<unknown> = z
  .object({
    stringValue: z.string().optional(),
    boolValue: z.boolean().optional(),
    intValue: z.union([z.string(), z.number()]).optional(),
    doubleValue: z.number().optional(),
    arrayValue: z.object({ values: z.array(z.lazy(() => anyValue)).optional() }).optional(),
  })
  .optional();
const keyValues = z.array(z.object({ key: z.string(), value: anyValue })).optional();

/**
 * OTLP/JSON `ExportTraceServiceRequest` (opentelemetry-proto `trace/v1`, JSON encoding: ids in
 * lowercase hex, 64-bit integers as decimal strings). Unknown fields are ignored, as the OTLP
 * spec asks of receivers.
 */
export const otlpTraceRequest = z.object({
  resourceSpans: z
    .array(
      z.object({
        resource: z.object({ attributes: keyValues }).optional(),
        scopeSpans: z
          .array(
            z.object({
              spans: z
                .array(
                  z.object({
                    traceId: HEX_ID(32),
                    spanId: HEX_ID(16),
                    parentSpanId: z.union([HEX_ID(16), z.literal('')]).optional(),
                    name: z.string().max(1000),
                    kind: z.number().int().min(0).max(5).optional(),
                    startTimeUnixNano: z.union([z.string().regex(/^\d{1,20}$/), z.number()]),
                    endTimeUnixNano: z.union([z.string().regex(/^\d{1,20}$/), z.number()]),
                    attributes: keyValues,
                    status: z.object({ code: z.number().int().optional() }).optional(),
                  }),
                )
                .optional(),
            }),
          )
          .optional(),
      }),
    )
    .optional(),
});
export type OtlpTraceRequest = z.infer<typeof otlpTraceRequest>;

/** Flattens a validated OTLP/JSON request into ConsoleSpans. */
export function spansFromOtlp(request: OtlpTraceRequest): ConsoleSpan[] {
  const spans: ConsoleSpan[] = [];
  for (const resourceSpans of request.resourceSpans ?? []) {
    const resource = toAttributes(resourceSpans.resource?.attributes);
    const service = String(resource['service.name'] ?? 'unknown');
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const span of scopeSpans.spans ?? []) {
        spans.push({
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: span.parentSpanId || undefined,
          name: span.name,
          kind: KINDS[span.kind ?? 0],
          service,
          startMs: nanosToMs(span.startTimeUnixNano),
          endMs: nanosToMs(span.endTimeUnixNano),
          attributes: toAttributes(span.attributes),
          error: span.status?.code === 2,
        });
      }
    }
  }
  return spans;
}

/** Nanoseconds (decimal string or number) → fractional epoch milliseconds, without losing the ms part. */
export function nanosToMs(nanos: string | number): number {
  if (typeof nanos === 'number') return nanos / 1e6;
  const big = BigInt(nanos);
  return Number(big / 1000n) / 1000;
}

function toAttributes(list: { key: string; value?: unknown }[] | undefined): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = {};
  for (const { key, value } of list ?? []) {
    const v = value as
      | { stringValue?: string; boolValue?: boolean; intValue?: string | number; doubleValue?: number; arrayValue?: { values?: unknown[] } }
      | undefined;
    if (v?.stringValue !== undefined) attributes[key] = v.stringValue;
    else if (v?.boolValue !== undefined) attributes[key] = v.boolValue;
    else if (v?.intValue !== undefined) attributes[key] = Number(v.intValue);
    else if (v?.doubleValue !== undefined) attributes[key] = v.doubleValue;
    else if (v?.arrayValue) {
      attributes[key] = (v.arrayValue.values ?? []).map((item) => Object.values(item as object)[0]).join(' ');
    }
  }
  return attributes;
}
