import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '@playground/http-kit';
import { AppModule } from './app.module';
import { setupSwagger } from './swagger';

export const BASE_PATH = '/archival-service';

/** The app as `main.ts` runs it, and as the e2e tests boot it in-process. */
export async function createArchivalApp(): Promise<NestFastifyApplication> {
  const app = await createApp(AppModule, { basePath: BASE_PATH, realm: 'archival-service' });
  setupSwagger(app);
  return app;
}
