/**
 * RFC 6749 §5.2: `error_description` is `1*( %x20-21 / %x23-5B / %x5D-7E )` — printable ASCII
 * without `"` and `\`. RFC 6750 §3 puts the same text in a quoted `WWW-Authenticate` parameter,
 * where those two characters would end or escape the quoted string.
 */
const OUTSIDE_ERROR_DESCRIPTION_CHARSET = /[^\x20-\x21\x23-\x5B\x5D-\x7E]/g;

/** True when `text` may be sent as an `error_description` (RFC 6749 §5.2). */
export function isErrorDescription(text: string): boolean {
  return text.length > 0 && text.replace(OUTSIDE_ERROR_DESCRIPTION_CHARSET, '') === text;
}

/**
 * `text` made a valid `error_description` (RFC 6749 §5.2): `"` and curly quotes → `'`, `\` → `/`,
 * `…` → `...`, `≤`/`≥` → `<=`/`>=`, dashes → `-`,
 * line breaks and tabs → space, anything else outside the charset (non-ASCII, controls) → `?`.
 * Authors write descriptions in the charset already; this is the guarantee for text that came
 * from elsewhere (a framework's message, an echoed parameter name).
 */
export function toErrorDescription(text: string): string {
  const mapped = text
    .replace(/"/g, "'")
    .replace(/\\/g, '/')
    .replace(/\u2026/g, '...')
    .replace(/\u2264/g, '<=')
    .replace(/\u2265/g, '>=')
    .replace(/[\u2018\u2019\u201C\u201D]/g, "'")
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/[\t\r\n]/g, ' ')
    .replace(OUTSIDE_ERROR_DESCRIPTION_CHARSET, '?');
  return mapped === '' ? 'error' : mapped;
}

export interface ProtocolErrorOptions {
  /** Logged server-side, never sent to the client. */
  reason?: string;
  cause?: unknown;
}

/**
 * The one base of every error this project sends on the wire: OAuth 2.0 errors of the
 * authorization server (OAuthError, RFC 6749 §5.2) and bearer-token errors of resource servers
 * (BearerError, RFC 6750 §3). Modelled on node-oidc-provider's `lib/helpers/errors.js`.
 *
 * Framework-free on purpose: code throws these, and exactly one exception filter (in
 * @playground/http-kit) turns them into HTTP. `description` is sent to the client and is always
 * within RFC 6749 §5.2's charset (see toErrorDescription); `reason` is for the log only.
 */
export abstract class ProtocolError extends Error {
  /** The `error` code; undefined only for a bearer request that carried no token (RFC 6750 §3.1). */
  abstract readonly code: string | undefined;
  abstract readonly status: number;
  /** The `error_description` sent to the client: RFC 6749 §5.2's charset, always. */
  readonly description: string;
  readonly reason?: string;

  constructor(description: string, options: ProtocolErrorOptions = {}) {
    const sendable = toErrorDescription(description);
    super(sendable, { cause: options.cause });
    this.name = new.target.name;
    this.description = sendable;
    this.reason = options.reason;
  }
}
