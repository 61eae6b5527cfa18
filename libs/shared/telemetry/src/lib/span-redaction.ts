import type { Attributes, AttributeValue } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** Query parameters whose values are credentials (RFC 6750 §2.3, RFC 6749, RFC 7523, cloud signatures). */
const CREDENTIAL_PARAMETERS =
  /^(access_token|refresh_token|id_token|token|client_secret|client_assertion|assertion|code|password|secret|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|awsaccesskeyid)$/i;
/** A JWS/JWT compact serialization (header `{"…` base64url-encoded starts with `eyJ`). */
const JWT_LIKE = /eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g;
/** Attributes that carry a URL, a target or a query string, whatever the semantic-conventions version. */
const URL_ATTRIBUTES = new Set(['url.full', 'url.query', 'http.url', 'http.target', 'url.original']);

export const REDACTED = 'REDACTED';

/**
 * A span's attributes without credentials:
 * - in URLs and query strings, the values of credential parameters (`access_token`, `client_secret`,
 *   `client_assertion`, …) become `REDACTED` — a client may still send a token in the query,
 *   which the resource server refuses (RFC 6750 §2.3) but the instrumentations would record;
 * - anywhere, a JWT-shaped run of text becomes `REDACTED`.
 * Names, ids, paths and statuses stay. Pure; returns the same object when nothing changed.
 */
export function redactAttributes(attributes: Attributes): Attributes {
  let changed = false;
  const out: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    const safe = redactValue(key, value);
    if (safe !== value) changed = true;
    out[key] = safe;
  }
  return changed ? out : attributes;
}

function redactValue(key: string, value: AttributeValue | undefined): AttributeValue | undefined {
  if (typeof value !== 'string') return value;
  let text = value;
  if (URL_ATTRIBUTES.has(key)) text = redactQuery(text);
  return text.replace(JWT_LIKE, REDACTED);
}

/** `text` (a URL, a path with a query, or a bare query) with credential parameter values replaced. */
export function redactQuery(text: string): string {
  const at = text.indexOf('?');
  const query = at >= 0 ? text.slice(at + 1) : text.includes('=') ? text : '';
  if (!query) return text;
  const [bare, fragment] = query.split('#', 2) as [string, string | undefined];
  const redacted = bare
    .split('&')
    .map((pair) => {
      const name = pair.split('=', 1)[0];
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // keep the raw name
      }
      return CREDENTIAL_PARAMETERS.test(decoded) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return (at >= 0 ? text.slice(0, at + 1) : '') + redacted + (fragment !== undefined ? `#${fragment}` : '');
}

/**
 * Wraps the OTLP exporter: every span leaves the process through `redactAttributes`, whichever
 * instrumentation recorded it (http, undici, NestJS and pg record URLs and statements).
 */
export class RedactingSpanExporter implements SpanExporter {
  constructor(private readonly inner: SpanExporter) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.inner.export(spans.map(redactSpan), resultCallback);
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

/** The span with redacted attributes; everything else read through to the original. */
export function redactSpan(span: ReadableSpan): ReadableSpan {
  const attributes = redactAttributes(span.attributes);
  if (attributes === span.attributes) return span;
  return new Proxy(span, {
    get: (target, property, receiver) => (property === 'attributes' ? attributes : Reflect.get(target, property, receiver)),
  });
}
