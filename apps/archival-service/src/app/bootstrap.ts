import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp, setupApiDocs } from '@playground/http-kit';
import { AppModule } from './app.module';

export const BASE_PATH = '/archival-service';

/**
 * The archival-service app, unstarted: the shared `createApp` (Fastify, pino, the one error
 * filter) plus Swagger UI at `/archival-service/docs`. main.ts and the e2e tests both use it.
 */
export async function createArchivalApp(): Promise<NestFastifyApplication> {
  const app = await createApp(AppModule, { basePath: BASE_PATH, realm: 'archival-service' });
  setupApiDocs(app, {
    title: 'archival-service',
    description: 'Scheduled client-credentials client: archives ms-system countries per schedule slot.',
  });
  return app;
}
