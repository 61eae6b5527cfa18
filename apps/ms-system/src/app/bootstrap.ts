import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp, setupApiDocs } from '@playground/http-kit';
import { AppModule } from './app.module';
import { BASE_PATH, loadMsSystemConfig, REALM } from './config';

/** The scopes ms-system's routes require (OpenAPI `scopes`: name → description). */
const SCOPES = { 'country.read': 'read the country catalogue' };

/**
 * The token endpoint from the auth-server's RFC 8414 metadata (the issuer's public URL, which a
 * browser can reach even when AUTH_SERVER_URL is an internal name, as in docker-compose); the
 * conventional path under AUTH_SERVER_URL if the auth-server does not answer within 1.5 s.
 */
async function publicTokenEndpoint(): Promise<string> {
  const base = loadMsSystemConfig().AUTH_SERVER_URL.replace(/\/+$/, '');
  try {
    const response = await fetch(`${base}/.well-known/oauth-authorization-server`, { signal: AbortSignal.timeout(1500) });
    const { token_endpoint } = (await response.json()) as { token_endpoint?: unknown };
    if (response.ok && typeof token_endpoint === 'string') return token_endpoint;
  } catch {
    // not up yet: the conventional path
  }
  return `${base}/oauth2/token`;
}

/**
 * The ms-system app, unstarted: the shared `createApp` (Fastify, pino, the one error filter)
 * plus Swagger UI at `/ms-system/docs` with bearer auth and the client-credentials flow declared. main.ts and the e2e tests use it.
 */
export async function createMsSystemApp(): Promise<NestFastifyApplication> {
  const app = await createApp(AppModule, { basePath: BASE_PATH, realm: REALM, trustProxy: loadMsSystemConfig().TRUST_PROXY });
  setupApiDocs(app, {
    title: 'ms-system',
    description:
      'Country resource server of the OAuth 2.0 client-credentials playground. Get a token from the auth-server, then Authorize with it.',
    auth: 'bearer',
    // "Authorize" can also fetch a token itself: RFC 6749 §4.4 at the token endpoint the
    // auth-server's metadata advertises (its public URL, the one a browser can reach).
    clientCredentials: { tokenUrl: await publicTokenEndpoint(), scopes: SCOPES },
  });
  return app;
}
