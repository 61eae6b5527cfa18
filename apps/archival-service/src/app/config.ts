import { readFileSync } from 'node:fs';
import { CronTime } from 'cron';
import { z } from 'zod';

/** The seeded dev secret (docs/contract.md); production mode refuses it. */
export const DEV_CLIENT_SECRET = 'archival-service-secret';

const int = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

function isCronExpression(value: string): boolean {
  try {
    new CronTime(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * archival-service configuration, read from the environment once at boot (README table).
 *
 * `ARCHIVAL_CRON` takes the `cron` package syntax: 5 fields (minute precision) or 6 fields (a
 * leading seconds field). The default `0 * * * * *` fires at second 0 of every minute, in UTC, so
 * every instance computes the same schedule slot (`cron:2026-11-23T10:51:00Z`). `off` disables
 * the schedule (runs are then only triggered through `POST /runs`).
 */
export const archivalConfigSchema = z
  .object({
    PORT: int(1, 65_535, 8282),
    HOST: z.string().min(1).default('127.0.0.1'),
    NODE_ENV: z.string().default('development'),
    AUTH_SERVER_URL: z.url().default('http://localhost:8085/ms-auth-server'),
    MS_SYSTEM_URL: z.url().default('http://localhost:8091/ms-system'),
    ARCHIVAL_CLIENT_ID: z.string().min(1).default('archival-service'),
    ARCHIVAL_CLIENT_SECRET: z.string().min(1).default(DEV_CLIENT_SECRET),
    /**
     * `client_secret_basic` (ARCHIVAL_CLIENT_SECRET) or `private_key_jwt` (RFC 7523: assertions
     * signed with the private JWK in ARCHIVAL_PRIVATE_KEY_FILE; no secret at all).
     */
    ARCHIVAL_AUTH_METHOD: z.enum(['client_secret_basic', 'private_key_jwt']).default('client_secret_basic'),
    ARCHIVAL_PRIVATE_KEY_FILE: z.string().min(1).optional(),
    /** RFC 8707: the resource indicator to ask tokens for (e.g. http://localhost:8091/ms-system). */
    ARCHIVAL_RESOURCE: z.url().optional(),
    /** RFC 9449: `true` binds every token to a key pair made at start and proves it on every call. */
    ARCHIVAL_DPOP: z.enum(['true', 'false']).default('false'),
    ARCHIVAL_DPOP_ALG: z.enum(['ES256', 'EdDSA', 'PS256', 'RS256']).default('ES256'),
    /** Least privilege: the only scope the archive needs. */
    ARCHIVAL_SCOPE: z.string().min(1).default('country.read'),
    /** Skips RFC 8414 discovery when set (e.g. the issuer's host is not reachable from here). */
    ARCHIVAL_TOKEN_ENDPOINT: z.url().optional(),
    ARCHIVAL_TOKEN_REFRESH_SKEW_SECONDS: int(0, 3600, 30),
    ARCHIVAL_CRON: z
      .string()
      .trim()
      .default('0 * * * * *')
      .refine((value) => value === 'off' || isCronExpression(value), 'not a cron expression (5 or 6 fields) nor "off"'),
    ARCHIVAL_RETRY_ATTEMPTS: int(1, 20, 4),
    ARCHIVAL_RETRY_INITIAL_DELAY_MS: int(0, 60_000, 500),
    ARCHIVAL_RETRY_MAX_DELAY_MS: int(0, 300_000, 5_000),
    ARCHIVAL_HTTP_TIMEOUT_MS: int(100, 300_000, 10_000),
    /** ms-system refuses sizes above 100. */
    ARCHIVAL_PAGE_SIZE: int(1, 100, 100),
  })
  .superRefine((env, ctx) => {
    if (env.ARCHIVAL_AUTH_METHOD === 'private_key_jwt' && !env.ARCHIVAL_PRIVATE_KEY_FILE) {
      ctx.addIssue({ code: 'custom', path: ['ARCHIVAL_PRIVATE_KEY_FILE'], message: 'private_key_jwt needs the client private JWK file' });
    }
    if (
      env.NODE_ENV === 'production' &&
      env.ARCHIVAL_AUTH_METHOD === 'client_secret_basic' &&
      env.ARCHIVAL_CLIENT_SECRET === DEV_CLIENT_SECRET
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['ARCHIVAL_CLIENT_SECRET'],
        message: 'the seeded playground secret is refused in production; set ARCHIVAL_CLIENT_SECRET',
      });
    }
  })
  .transform((env) => ({
    port: env.PORT,
    host: env.HOST,
    authServerUrl: env.AUTH_SERVER_URL.replace(/\/+$/, ''),
    msSystemUrl: env.MS_SYSTEM_URL.replace(/\/+$/, ''),
    clientId: env.ARCHIVAL_CLIENT_ID,
    clientSecret: env.ARCHIVAL_AUTH_METHOD === 'client_secret_basic' ? env.ARCHIVAL_CLIENT_SECRET : undefined,
    // Read once at boot; the file holds a private key, so its content never reaches a log.
    privateKeyJwt:
      env.ARCHIVAL_AUTH_METHOD === 'private_key_jwt' && env.ARCHIVAL_PRIVATE_KEY_FILE
        ? { privateJwk: JSON.parse(readFileSync(env.ARCHIVAL_PRIVATE_KEY_FILE, 'utf8')) as Record<string, unknown> }
        : undefined,
    resource: env.ARCHIVAL_RESOURCE,
    dpop: env.ARCHIVAL_DPOP === 'true' ? { alg: env.ARCHIVAL_DPOP_ALG } : undefined,
    scope: env.ARCHIVAL_SCOPE,
    tokenEndpoint: env.ARCHIVAL_TOKEN_ENDPOINT,
    refreshSkewSeconds: env.ARCHIVAL_TOKEN_REFRESH_SKEW_SECONDS,
    cron: env.ARCHIVAL_CRON === 'off' ? undefined : env.ARCHIVAL_CRON,
    retry: {
      attempts: env.ARCHIVAL_RETRY_ATTEMPTS,
      initialDelayMs: env.ARCHIVAL_RETRY_INITIAL_DELAY_MS,
      maxDelayMs: env.ARCHIVAL_RETRY_MAX_DELAY_MS,
    },
    httpTimeoutMs: env.ARCHIVAL_HTTP_TIMEOUT_MS,
    pageSize: env.ARCHIVAL_PAGE_SIZE,
  }));

export type ArchivalConfig = z.output<typeof archivalConfigSchema>;

export const ARCHIVAL_CONFIG = Symbol('ARCHIVAL_CONFIG');
