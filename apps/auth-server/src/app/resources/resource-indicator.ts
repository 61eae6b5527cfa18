/** Longest resource indicator accepted; bounds what reaches Postgres and the token. */
const MAX_LENGTH = 2000;

/**
 * RFC 8707 §2: a resource indicator is an absolute URI (RFC 3986 §4.3) without a fragment
 * component. `urn:playground:reports` qualifies as much as `https://api.example.com/`.
 * Only printable ASCII: anything else cannot be a URI (RFC 3986 §2) and never reaches Postgres.
 */
export function isResourceIndicator(value: string): boolean {
  if (!value || value.length > MAX_LENGTH || !/^[\x21-\x7E]+$/.test(value) || value.includes('#')) return false;
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value)) return false; // a scheme: absolute, not relative
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** The resource playground-seeded besides ms-system: served by nothing, it shows a token refused elsewhere. */
export const REPORTS_RESOURCE = 'urn:playground:reports';
