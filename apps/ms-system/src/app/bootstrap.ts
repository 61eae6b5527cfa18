import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp, setupApiDocs } from '@playground/http-kit';
import { AppModule } from './app.module';
import { BASE_PATH, REALM } from './config';

/**
 * The ms-system app, unstarted: the shared `createApp` (Fastify, pino, the one error filter)
 * plus Swagger UI at `/ms-system/docs` with bearer auth declared. main.ts and the e2e tests use it.
 */
export async function createMsSystemApp(): Promise<NestFastifyApplication> {
  const app = await createApp(AppModule, { basePath: BASE_PATH, realm: REALM });
  setupApiDocs(app, {
    title: 'ms-system',
    description: 'Country resource server of the OAuth 2.0 client-credentials playground. Get a token from the auth-server, then Authorize with it.',
    auth: 'bearer',
  });
  return app;
}
