/**
 * What a PostgreSQL failure means for the client, decided in one place for every app
 * (docs/contract.md, "Errors"). Framework- and driver-free: it reads only the
 * `code` (SQLSTATE or Node errno) and `message` that `pg` sets, looking through TypeORM's
 * `QueryFailedError.driverError` and `Error.cause`.
 *
 * - `unavailable`: the database cannot be reached or is shutting down / starting up. The request
 *   did not fail because of its content: 503 `temporarily_unavailable` with `Retry-After`.
 *   SQLSTATE class 08 (connection exception), 57P01-57P03 (admin/crash shutdown, cannot connect
 *   now), 53300 (too many connections); socket errors; pg-pool's connect timeout.
 * - `bad_input`: the value itself cannot be stored or compared — SQLSTATE class 22 (data
 *   exception: a NUL byte, invalid UTF-8, a numeric out of range) or 54000 (a value too long for an
 *   index). The endpoint's ordinary 400, never a 500.
 * - undefined: anything else (a bug): 500 `server_error`.
 *
 * The socket errnos are not Postgres-specific: any dependency a handler could not reach (its
 * `fetch` failing with ECONNREFUSED as the cause) is equally an outage, and 503 is equally right.
 */
export type DatabaseErrorKind = 'unavailable' | 'bad_input';

const UNAVAILABLE_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const UNAVAILABLE_SQLSTATE = new Set(['57P01', '57P02', '57P03', '53300']);
// pg and pg-pool raise these without a code when the socket dies or no connection comes in time.
const UNAVAILABLE_MESSAGE =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection refused|terminating connection)/i;

export function classifyDatabaseError(error: unknown): DatabaseErrorKind | undefined {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string') {
      if (UNAVAILABLE_ERRNO.has(code) || UNAVAILABLE_SQLSTATE.has(code) || code.startsWith('08')) return 'unavailable';
      if (/^22[0-9A-Z]{3}$/.test(code) || code === '54000') return 'bad_input';
    }
    if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return 'unavailable';
    const next = (current as { driverError?: unknown }).driverError ?? (current as { cause?: unknown }).cause;
    current = next as object | undefined;
  }
  return undefined;
}
