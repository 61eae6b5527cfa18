import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';

/**
 * Paths pino must never print. Tokens and secrets only travel in these places: the
 * Authorization header and form bodies (which are never logged at all).
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'req.body',
  '*.client_secret',
  '*.access_token',
  '*.token',
  '*.password',
  '*.secret',
];

/** Levels at which pino-http's request lines ("request completed", at info) are written. */
const REQUEST_LOG_LEVELS = new Set(['trace', 'debug', 'info']);

/**
 * Whether pino-http's per-request middleware is mounted at this level (see loggerParams). It is
 * the only Nest middleware of the apps: when it is off, createApp leaves Fastify's middleware
 * layer (middie) out altogether.
 */
export function logsRequests(level = process.env['LOG_LEVEL'] ?? 'info'): boolean {
  return REQUEST_LOG_LEVELS.has(level);
}

/**
 * pino via nestjs-pino, with redaction, one JSON line per event, `app` on every line.
 *
 * The per-request pino-http middleware (a child logger, listeners and a middie hop per request)
 * is mounted only when its request lines can be written, i.e. at `info` or more verbose. At
 * `warn` and above it would write nothing but still cost ~15 % of a resource-server request
 * (ADR 0006); the 5xx it would report as "request errored" are logged by ErrorResponseFilter.
 */
export function loggerParams(app: string, level = process.env['LOG_LEVEL'] ?? 'info'): Params {
  return {
    // Every route (path-to-regexp v8 syntax; nestjs-pino's default '*' is deprecated in Nest 11).
    forRoutes: logsRequests(level) ? [{ path: '{*splat}', method: RequestMethod.ALL }] : [],
    pinoHttp: {
      level,
      base: { app },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // Health probes every few seconds would drown everything else.
      autoLogging: { ignore: (req) => (req.url ?? '').endsWith('/health') },
      serializers: {
        // The query string is dropped: RFC 6750 §2.3 tokens-in-URL are refused, but a client
        // might still send one, and it must not reach the log.
        req: (req: { id: unknown; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url.split('?')[0],
        }),
      },
    },
  };
}
