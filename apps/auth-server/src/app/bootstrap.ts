import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp, setupApiDocs } from '@playground/http-kit';
import { AppModule } from './app.module';
import { BASE_PATH, loadAuthServerConfig, REALM } from './config';

/**
 * The auth-server app, unstarted: the shared `createApp` (Fastify, pino, the one error filter,
 * body limit) plus Swagger UI at `/ms-auth-server/docs`. main.ts and the e2e tests both use it.
 */
export async function createAuthServerApp(): Promise<NestFastifyApplication> {
  const app = await createApp(AppModule, { basePath: BASE_PATH, realm: REALM, trustProxy: loadAuthServerConfig().TRUST_PROXY });
  // Swagger UI pages (ms-system's "Authorize") call the token endpoint from the browser; Swagger UI
  // adds X-Requested-With to that request.
  app.enableCors({
    origin: loadAuthServerConfig().CORS_ALLOWED_ORIGINS,
    methods: ['GET', 'POST'],
    allowedHeaders: ['authorization', 'content-type', 'x-requested-with'],
  });
  setupApiDocs(app, {
    title: 'auth-server',
    description: 'OAuth 2.0 client-credentials authorization server of the playground',
    auth: 'basic',
  });
  return app;
}
