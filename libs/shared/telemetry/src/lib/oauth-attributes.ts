import { SpanStatusCode, trace } from '@opentelemetry/api';

/**
 * The OAuth facts worth seeing on a span, under one prefix (`oauth.`) beside the OpenTelemetry
 * semantic conventions (`http.request.method`, `url.path`, `db.system`).
 *
 * Only names, identifiers and outcomes: the type has no field that could carry a client secret,
 * an access token or a client assertion, and `client_id` is recorded only once the client is
 * authenticated (before that it is caller-supplied text, possibly a pasted secret).
 */
export interface OAuthSpanFacts {
  /** RFC 6749 `grant_type`, e.g. `client_credentials`. */
  grantType?: string;
  /** An authenticated client's id. */
  clientId?: string;
  /** RFC 7591 name of the client authentication method, e.g. `client_secret_basic`. */
  authMethod?: string;
  /** Granted or required scopes. */
  scopes?: readonly string[];
  /** Token format: `opaque` or `jwt`. */
  tokenFormat?: string;
  /** Did a cache answer (client token cache, introspection cache, secret verification cache)? */
  cache?: 'hit' | 'miss';
  /** JWS `kid` of the key that signed or verified a JWT. */
  kid?: string;
  /** Resource-server validation mode (`auto`, `jwt`, `introspection`) or what validated the token. */
  validationMode?: string;
  /** The OAuth error code of a refused request, e.g. `invalid_client`. */
  error?: string;
}

const KEYS: Record<keyof OAuthSpanFacts, string> = {
  grantType: 'oauth.grant_type',
  clientId: 'oauth.client_id',
  authMethod: 'oauth.client_auth_method',
  scopes: 'oauth.scope',
  tokenFormat: 'oauth.token_format',
  cache: 'oauth.cache',
  kid: 'oauth.jwt.kid',
  validationMode: 'oauth.validation_mode',
  error: 'oauth.error',
};

/** Longest attribute value kept: identifiers are short; anything longer is not one. */
const MAX_LENGTH = 200;

/** The span attributes for `facts` (undefined fields left out). Pure; exported for tests. */
export function oauthAttributes(facts: OAuthSpanFacts): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [field, value] of Object.entries(facts) as [keyof OAuthSpanFacts, OAuthSpanFacts[keyof OAuthSpanFacts]][]) {
    if (value === undefined || !(field in KEYS)) continue;
    const text = Array.isArray(value) ? value.join(' ') : String(value);
    attributes[KEYS[field]] = text.slice(0, MAX_LENGTH);
  }
  return attributes;
}

/**
 * Adds `facts` to the active span (the NestJS handler or HTTP span of the current request).
 * A no-op when tracing is off. Never throws.
 */
export function setOAuthSpanAttributes(facts: OAuthSpanFacts): void {
  trace.getActiveSpan()?.setAttributes(oauthAttributes(facts));
}

/**
 * Runs `work` inside a new span named `name` (a child of the active span, or the root of a new
 * trace): background work such as a scheduled archive run becomes one trace. Errors are recorded
 * on the span (type only, never the message: messages may quote input) and rethrown.
 */
export function inSpan<T>(name: string, work: () => Promise<T>): Promise<T> {
  return trace.getTracer('@playground/telemetry').startActiveSpan(name, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.name ?? 'Error' });
      throw error;
    } finally {
      span.end();
    }
  });
}
