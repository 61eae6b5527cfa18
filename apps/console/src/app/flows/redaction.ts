import type { AttributeValue } from './span';

/**
 * Defence in depth for what the console shows. The apps never put a credential in a span
 * (`@playground/telemetry`), but the console also accepts spans from any OTLP exporter, so it
 * redacts on its own before anything reaches the page or the API:
 * - attributes whose name says credential (`secret`, `password`, `token`, `assertion`,
 *   `authorization`, `cookie`, `api key`) lose their value — except the console's own harmless
 *   `oauth.*` names listed in SAFE_KEYS;
 * - any text that looks like a JWT/JWS (three base64url segments starting `eyJ`) becomes
 *   `[redacted JWT]`, wherever it appears;
 * - query strings keep parameter names; the values of credential parameters are dropped.
 */
export const REDACTED = '[redacted]';

const CREDENTIAL_NAME = /secret|passw|token|assertion|authori[sz]ation|cookie|api[-_.]?key|credential|dpop|proof/i;
const SAFE_KEYS = new Set(['oauth.token_format', 'oauth.cache', 'oauth.grant_type', 'oauth.client_auth_method']);
const JWT_LIKE = /eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g;

/** A copy of `attributes` safe to show. */
export function redactAttributes(attributes: Record<string, AttributeValue>): Record<string, AttributeValue> {
  const safe: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (CREDENTIAL_NAME.test(key) && !SAFE_KEYS.has(key)) safe[key] = REDACTED;
    else if (typeof value !== 'string') safe[key] = value;
    else if (key === 'url.query') safe[key] = redactQuery(value);
    else if (key === 'url.full') safe[key] = redactUrl(value);
    else safe[key] = redactText(value);
  }
  return safe;
}

/** `text` with every JWT-looking run replaced. */
export function redactText(text: string): string {
  return text.replace(JWT_LIKE, '[redacted JWT]');
}

/** A query string (with or without `?`) with credential parameters' values removed. */
export function redactQuery(query: string): string {
  const leading = query.startsWith('?') ? '?' : '';
  const body = leading ? query.slice(1) : query;
  if (!body) return query;
  return (
    leading +
    body
      .split('&')
      .map((pair) => {
        const [name] = pair.split('=', 1);
        return CREDENTIAL_NAME.test(decodeSafely(name)) || /^(code|client_secret|access_token|refresh_token|token)$/i.test(name)
          ? `${name}=${REDACTED}`
          : redactText(pair);
      })
      .join('&')
  );
}

/** A URL with its query redacted (see redactQuery) and any user-info dropped. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    const query = parsed.search ? redactQuery(parsed.search) : '';
    parsed.search = '';
    return redactText(parsed.toString() + query);
  } catch {
    // A path only (or not a URL at all).
    const at = url.indexOf('?');
    return at < 0 ? redactText(url) : redactText(url.slice(0, at)) + redactQuery(url.slice(at));
  }
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
