import { z } from 'zod';
import { loadConfig, trustProxySchema } from '@playground/http-kit';

export const BASE_PATH = '/ms-system';
export const REALM = 'ms-system';
export const MS_SYSTEM_CONFIG = Symbol('MS_SYSTEM_CONFIG');

/** The seeded introspection secret (docs/contract.md): fine for the playground, refused in production. */
const SEEDED_INTROSPECTION_SECRET = 'service-client-jwt-secret';

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true');

/** The playground key of the seeded `service-client-pkjwt` (docs/contract.md); refused in production. */
export const SEEDED_PKJWT_KEY_FILE = 'docs/keys/service-client-pkjwt.private.jwk.json';

/**
 * ms-system's configuration, from the environment, validated at boot. Defaults are the
 * playground's (README table); every value can be overridden.
 */
export const msSystemConfigSchema = z
  .object({
    NODE_ENV: z.string().default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(8091),
    HOST: z.string().min(1).default('127.0.0.1'),
    /** Reverse proxies whose X-Forwarded-* headers are believed (http-kit's trustProxySchema). */
    TRUST_PROXY: trustProxySchema,
    AUTH_SERVER_URL: z.url({ protocol: /^https?$/ }).default('http://localhost:8085/ms-auth-server'),
    TOKEN_VALIDATION_MODE: z.enum(['auto', 'jwt', 'introspection']).default('auto'),
    INTROSPECTION_CLIENT_ID: z.string().min(1).default('service-client-jwt'),
    INTROSPECTION_CLIENT_SECRET: z.string().min(1).default(SEEDED_INTROSPECTION_SECRET),
    /**
     * How ms-system authenticates its introspection and revocation-feed calls:
     * `client_secret_basic` (INTROSPECTION_CLIENT_SECRET) or `private_key_jwt` (the private JWK in
     * INTROSPECTION_PRIVATE_KEY_FILE; e.g. the seeded `service-client-pkjwt`): no shared secret.
     */
    INTROSPECTION_AUTH_METHOD: z.enum(['client_secret_basic', 'private_key_jwt']).default('client_secret_basic'),
    INTROSPECTION_PRIVATE_KEY_FILE: z.string().min(1).default(SEEDED_PKJWT_KEY_FILE),
    /** RFC 8707 resource indicator of ms-system (the same variable on the auth-server). */
    MS_SYSTEM_RESOURCE: z.url().default('http://localhost:8091/ms-system'),
    /** `true`: refuse tokens issued without a resource indicator too (audience `[client_id]`). */
    REQUIRE_AUDIENCE: flag(false),
    /**
     * Where proof `jti`s are remembered (RFC 9449 §11.1): `postgres` (default, shared by every
     * instance: a replay is refused on all of them) or `memory` (one instance only; ADR 0007).
     */
    DPOP_REPLAY_STORE: z.enum(['postgres', 'memory']).default('postgres'),
    /**
     * Upper bound of caching an active introspection result; keep it ≤ the 10 s revocation window.
     * 0 turns the cache off (every request introspects; the bench measures what that costs).
     */
    INTROSPECTION_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).default(5),
    /**
     * A cached JWKS older than this is refetched before the next JWT check. The auth-server
     * pre-publishes a new signing key for longer than this (SIGNING_KEY_PREPUBLISH_SECONDS, 660),
     * so a key rollover never meets an unknown kid here.
     */
    JWKS_MAX_AGE_SECONDS: seconds(600),
    /** How often the auth-server's revocations feed is polled (auto and introspection modes). */
    REVOCATION_POLL_INTERVAL_SECONDS: seconds(5),
  })
  .superRefine((config, ctx) => {
    if (
      config.NODE_ENV === 'production' &&
      config.INTROSPECTION_AUTH_METHOD === 'private_key_jwt' &&
      config.INTROSPECTION_PRIVATE_KEY_FILE === SEEDED_PKJWT_KEY_FILE
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['INTROSPECTION_PRIVATE_KEY_FILE'],
        message: 'the playground key is refused in production; register a key of your own',
      });
    }
    if (
      config.NODE_ENV === 'production' &&
      config.INTROSPECTION_AUTH_METHOD === 'client_secret_basic' &&
      config.INTROSPECTION_CLIENT_SECRET === SEEDED_INTROSPECTION_SECRET
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['INTROSPECTION_CLIENT_SECRET'],
        message: 'the seeded playground secret is refused in production; set a real one',
      });
    }
  });

export type MsSystemConfig = z.output<typeof msSystemConfigSchema>;

export function loadMsSystemConfig(env: NodeJS.ProcessEnv = process.env): MsSystemConfig {
  return loadConfig(msSystemConfigSchema, env);
}
