import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '@playground/http-kit';
import { AppModule } from './app.module';
import { BASE_PATH, REALM } from './config';

/**
 * The console app, unstarted: the shared `createApp` (Fastify, pino, the one error filter) with
 * a larger body limit (an OTLP batch of a busy trace is bigger than an OAuth form), plus the page
 * at `/console/` served from `assetsDir` (HTML, CSS, JS and a local copy of mermaid).
 */
export async function createConsoleApp(assetsDir = join(__dirname, 'assets')): Promise<NestFastifyApplication> {
  const app = await createApp(AppModule, { basePath: BASE_PATH, realm: REALM, bodyLimit: 8 * 1024 * 1024 });
  await app.register(fastifyStatic, {
    root: assetsDir,
    prefix: `${BASE_PATH}/`,
    index: ['index.html'],
    // The page changes with the build; a stale cached copy would talk to a newer API.
    cacheControl: false,
    setHeaders: (res) => res.header('Cache-Control', 'no-cache'),
  });
  return app;
}
