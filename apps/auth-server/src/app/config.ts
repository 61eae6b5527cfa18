import { z } from 'zod';
import { loadConfig } from '@playground/http-kit';

/** The dev-default secret of the seeded `archival-service` client (CONTRACT.md). */
export const DEV_ARCHIVAL_CLIENT_SECRET = 'archival-service-secret';

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/**
 * Every setting of the auth-server, read from the environment and validated at boot
 * (`loadConfig` fails naming the bad variable, never its value). Defaults are the playground's.
 */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8085),
  HOST: z.string().min(1).default('127.0.0.1'),
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
  /** How often a running server re-reads the active signing key (a rotation by the CLI). */
  SIGNING_KEY_REFRESH_SECONDS: seconds(30),
});

export type AuthServerConfig = z.output<typeof configSchema>;

export const AUTH_SERVER_CONFIG = Symbol('AUTH_SERVER_CONFIG');

export function loadAuthServerConfig(env: NodeJS.ProcessEnv = process.env): AuthServerConfig {
  return loadConfig(configSchema, env);
}

/** The global route prefix, and the RFC 8414 well-known path suffix derived from it. */
export const BASE_PATH = '/ms-auth-server';
export const REALM = 'ms-auth-server';
