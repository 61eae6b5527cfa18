import { z } from 'zod';
import { commaSeparatedSchema, loadConfig, trustProxySchema } from '@playground/http-kit';

/** The dev-default secret of the seeded `archival-service` client (docs/contract.md). */
export const DEV_ARCHIVAL_CLIENT_SECRET = 'archival-service-secret';

/**
 * The playground's published key-encryption key (base64url of 32 bytes). It protects nothing —
 * it is in the repository — and exists so that `npm start` works with no setup; production
 * refuses it (set `SIGNING_KEY_ENCRYPTION_KEY`, e.g. `openssl rand -base64 32`).
 */
export const PLAYGROUND_KEY_ENCRYPTION_KEY = 'sUQUiyhCa8rOkttA4mZZnKQJumC4Vflmfab7KSoUKXk';

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);
/** 32 bytes, base64 or base64url (AES-256). */
const aes256Key = z.string().refine((value) => /^[A-Za-z0-9+/_-]{43}=?$/.test(value) && Buffer.from(value, 'base64').length === 32, {
  message: 'a 256-bit key, base64 or base64url (43 or 44 characters)',
});
const flag = z
  .enum(['true', 'false', '1', '0', ''])
  .default('false')
  .transform((value) => value === 'true' || value === '1');

/**
 * Every setting of the auth-server, read from the environment and validated at boot
 * (`loadConfig` fails naming the bad variable, never its value). Defaults are the playground's.
 */
export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(8085),
    HOST: z.string().min(1).default('127.0.0.1'),
    /** Reverse proxies whose X-Forwarded-* headers are believed (http-kit's trustProxySchema). */
    TRUST_PROXY: trustProxySchema,
    /** RFC 8414 issuer identifier; also the `iss` of every token. No trailing slash. */
    ISSUER: z
      .url()
      .default('http://localhost:8085/ms-auth-server')
      .transform((url) => url.replace(/\/+$/, '')),
    /** Lifetime of tokens issued to the seeded playground clients (the walkthrough shows ~14399). */
    SEEDED_TOKEN_LIFETIME_SECONDS: seconds(14_400),
    /** Lifetime of tokens issued to clients created later, unless the client says otherwise. */
    DEFAULT_TOKEN_LIFETIME_SECONDS: seconds(300),
    ARCHIVAL_CLIENT_SECRET: z.string().min(1).default(DEV_ARCHIVAL_CLIENT_SECRET),
    /**
     * How long a verified (client_id, secret) pair skips the argon2id check. Short on purpose:
     * see docs/adr/0001-client-secret-verification-cache.md.
     */
    SECRET_CACHE_TTL_SECONDS: seconds(60),
    SECRET_CACHE_MAX_ENTRIES: z.coerce.number().int().positive().default(10_000),
    /** RFC 8707 resource indicator of ms-system, registered at boot (same variable on ms-system). */
    MS_SYSTEM_RESOURCE: z.string().min(1).default('http://localhost:8091/ms-system'),
    /** How often a running server re-reads the registered resources (one added by the CLI). */
    RESOURCE_REFRESH_SECONDS: seconds(30),
    /** RFC 9449 proof window at the token endpoint: oldest `iat`, seconds in the past. */
    DPOP_PROOF_MAX_AGE_SECONDS: seconds(60),
    /** Latest `iat`, seconds in the future (clock skew). */
    DPOP_PROOF_MAX_FUTURE_SECONDS: seconds(10),
    /**
     * Web pages allowed to call the endpoints from a browser (CORS), space-separated origins:
     * ms-system's Swagger UI, whose "Authorize" fetches a token itself. No cookies are involved.
     */
    CORS_ALLOWED_ORIGINS: z
      .string()
      .default('http://localhost:8091 http://127.0.0.1:8091')
      .transform((value) => value.split(/[\s,]+/).filter(Boolean)),
    /**
     * Failed client authentications (per client_id, known or not, and per source address) within
     * the window before further attempts get 429 for FAILED_AUTH_BLOCK_SECONDS (ADR 0007).
     */
    FAILED_AUTH_LIMIT_PER_CLIENT: seconds(10),
    FAILED_AUTH_LIMIT_PER_ADDRESS: seconds(100),
    FAILED_AUTH_WINDOW_SECONDS: seconds(60),
    FAILED_AUTH_BLOCK_SECONDS: seconds(60),
    /** A throttled attempt is answered after this delay, so ignoring Retry-After buys nothing. */
    FAILED_AUTH_THROTTLE_DELAY_MS: z.coerce.number().int().min(0).max(10_000).default(500),
    /**
     * argon2id verifications at once (each ~29 ms on one libuv threadpool thread, 19 MiB) and how
     * many may wait; more → 503 at once. Leaves threadpool threads to JWT signing (ADR 0007).
     */
    ARGON2_MAX_CONCURRENCY: seconds(1),
    ARGON2_MAX_WAITING: z.coerce.number().int().min(0).default(64),
    /** How often a running server re-reads the active signing key (a rotation by the CLI). */
    SIGNING_KEY_REFRESH_SECONDS: seconds(30),
    /**
     * `rotate-signing-key` publishes the new key at once and signs with it only this much later,
     * so every resource server's JWKS cache (ms-system: JWKS_MAX_AGE_SECONDS, 600) has it before
     * the first token does. `--now` skips the wait (key compromise).
     */
    SIGNING_KEY_PREPUBLISH_SECONDS: z.coerce.number().int().min(0).default(660),
    /**
     * Key-encryption key: signing keys are stored sealed with AES-256-GCM under it. Refused in
     * production while it is the playground's published default.
     */
    SIGNING_KEY_ENCRYPTION_KEY: aes256Key.default(PLAYGROUND_KEY_ENCRYPTION_KEY),
    /**
     * Older key-encryption keys, comma-separated, still accepted for reading during a rotation
     * (`npm run clients -- rotate-key-encryption-key` re-seals every key under the current one).
     */
    SIGNING_KEY_ENCRYPTION_KEYS_PREVIOUS: commaSeparatedSchema.pipe(z.array(aes256Key)),
    /**
     * Lets a client's `jwks_uri` point at a loopback or private address (and use plain http).
     * Off by default: otherwise registering a client could make the server probe its own network.
     */
    JWKS_URI_ALLOW_PRIVATE_ADDRESSES: flag,
    /** How long keys fetched from a client's `jwks_uri` are reused (an unknown `kid` refetches sooner). */
    CLIENT_JWKS_CACHE_SECONDS: seconds(300),
    /**
     * After a fetch of a `jwks_uri`, how long an unknown `kid` waits before it may refetch: anyone
     * can send an assertion naming a client and a made-up kid, and must not make us hammer its server.
     */
    CLIENT_JWKS_REFETCH_COOLDOWN_SECONDS: seconds(30),
    /**
     * When the janitor deletes expired rows (docs/adr/0009-janitor.md): `cron` package syntax, UTC,
     * 5 or 6 fields; `off` leaves it to `npm run clients -- janitor`.
     */
    JANITOR_CRON: z
      .string()
      .trim()
      .default('0 */10 * * * *')
      .transform((value) => (value.toLowerCase() === 'off' ? undefined : value)),
    /**
     * Seconds a token, its revocation-feed row and a replay entry are kept past their `exp`: a
     * resource server that accepts a JWT with clock leeway must still see its revocation.
     */
    JANITOR_GRACE_SECONDS: z.coerce.number().int().min(0).default(3600),
    /** Rows per DELETE statement (one short transaction each, so no long lock). */
    JANITOR_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(5000),
    /** Days audit rows are kept; 0 keeps them forever. */
    AUDIT_RETENTION_DAYS: z.coerce.number().int().min(0).default(90),
  })
  .superRefine((config, ctx) => {
    if (config.NODE_ENV === 'production' && config.SIGNING_KEY_ENCRYPTION_KEY === PLAYGROUND_KEY_ENCRYPTION_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['SIGNING_KEY_ENCRYPTION_KEY'],
        message: 'the playground default key-encryption key is published and refused in production; set a real one',
      });
    }
  });

export type AuthServerConfig = z.output<typeof configSchema>;

export const AUTH_SERVER_CONFIG = Symbol('AUTH_SERVER_CONFIG');

export function loadAuthServerConfig(env: NodeJS.ProcessEnv = process.env): AuthServerConfig {
  return loadConfig(configSchema, env);
}

/** The global route prefix, and the RFC 8414 well-known path suffix derived from it. */
export const BASE_PATH = '/ms-auth-server';
export const REALM = 'ms-auth-server';
