/**
 * Whether PostgreSQL can take this string as a `text` parameter at all: no NUL byte (text
 * cannot hold U+0000, SQLSTATE 22021), well-formed UTF-16 (a lone surrogate has no UTF-8 form),
 * and at most `maxLength` characters. Checked before a lookup by a value that came off the wire,
 * so that such a value is simply "not found" — the endpoint's ordinary answer — instead of a
 * database error. (The error filter maps any class 22 data exception that still gets through to
 * a 400; this keeps the usual answer, e.g. 401 invalid_client, for the common case.)
 */
export function isStorableText(value: string, maxLength = 1024): boolean {
  return value.length <= maxLength && !value.includes('\u0000') && !LONE_SURROGATE.test(value);
}

// String.prototype.isWellFormed is ES2024; the libs compile against an older lib.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
