import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * Reads an app's configuration from the environment through its schema and fails at boot,
 * naming every bad variable (never its value, which may be a secret).
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new Error(`invalid configuration:\n${problems}`);
  }
  return result.data;
}

/** A comma-separated environment variable as its trimmed, non-empty entries (unset: none). */
export const commaSeparatedSchema = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  );

/** A proxy-addr range name (loopback, private networks, link-local), as Fastify's `trustProxy` takes them. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
function isProxyEntry(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128));
}

/**
 * `TRUST_PROXY`: the reverse proxies (addresses, CIDR ranges, or `loopback` / `uniquelocal` /
 * `linklocal`, comma-separated) whose `X-Forwarded-For`, `X-Forwarded-Proto` and
 * `X-Forwarded-Host` the app believes. Empty (the default): none, so no header can forge the
 * client's address (the failed-authentication throttle keys on it) or the URL a DPoP proof's
 * `htu` is compared with (RFC 9449 §4.3). Behind a proxy that terminates TLS or forwards for many
 * clients, name it here. Never "trust everyone": a client could then forge both. Parses to the
 * list for Fastify's `trustProxy`, or false.
 */
export const trustProxySchema = commaSeparatedSchema
  .refine((entries) => entries.every(isProxyEntry), {
    message: 'expected addresses, CIDR ranges, loopback, uniquelocal or linklocal, comma-separated',
  })
  .transform((entries): string[] | false => (entries.length > 0 ? entries : false));
