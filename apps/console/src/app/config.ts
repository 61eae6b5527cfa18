import { Global, Module } from '@nestjs/common';
import { z } from 'zod';
import { loadConfig } from '@playground/http-kit';

export const BASE_PATH = '/console';
export const REALM = 'console';
export const CONSOLE_CONFIG = Symbol('CONSOLE_CONFIG');

const url = (fallback: string) => z.url({ protocol: /^https?$/ }).default(fallback);

/**
 * The console's configuration (README table). The scenario buttons act as the seeded clients
 * (docs/contract.md), so their secrets default to the seeded playground ones; production refuses them
 * as the other apps do.
 */
export const consoleConfigSchema = z
  .object({
    NODE_ENV: z.string().default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    HOST: z.string().min(1).default('127.0.0.1'),
    AUTH_SERVER_URL: url('http://localhost:8085/ms-auth-server'),
    MS_SYSTEM_URL: url('http://localhost:8091/ms-system'),
    ARCHIVAL_SERVICE_URL: url('http://localhost:8282/archival-service'),
    /** Traces kept in memory (least recently updated dropped first). */
    CONSOLE_MAX_FLOWS: z.coerce.number().int().min(1).max(10_000).default(200),
    /** Spans kept per trace; a runaway trace loses the rest. */
    CONSOLE_MAX_SPANS_PER_FLOW: z.coerce.number().int().min(1).max(100_000).default(2000),
    OPAQUE_CLIENT_ID: z.string().min(1).default('user-client-opaque'),
    OPAQUE_CLIENT_SECRET: z.string().min(1).default('user-client-secret'),
    JWT_CLIENT_ID: z.string().min(1).default('service-client-jwt'),
    JWT_CLIENT_SECRET: z.string().min(1).default('service-client-jwt-secret'),
  })
  .superRefine((config, ctx) => {
    if (config.NODE_ENV !== 'production') return;
    for (const key of ['OPAQUE_CLIENT_SECRET', 'JWT_CLIENT_SECRET'] as const) {
      if (['user-client-secret', 'service-client-jwt-secret'].includes(config[key])) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'the seeded playground secret is refused in production; set a real one' });
      }
    }
  });

export type ConsoleConfig = z.output<typeof consoleConfigSchema>;

export function loadConsoleConfig(env: NodeJS.ProcessEnv = process.env): ConsoleConfig {
  return loadConfig(consoleConfigSchema, env);
}

/** The validated configuration, read once at boot, injectable as CONSOLE_CONFIG. */
@Global()
@Module({
  providers: [{ provide: CONSOLE_CONFIG, useFactory: () => loadConsoleConfig() }],
  exports: [CONSOLE_CONFIG],
})
export class ConsoleConfigModule {}
