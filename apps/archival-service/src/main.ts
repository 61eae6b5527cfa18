import './instrumentation'; // first: tracing patches the modules loaded below
import 'reflect-metadata';
import { listen, loadConfig } from '@playground/http-kit';
import { createArchivalApp } from './app/bootstrap';
import { archivalConfigSchema } from './app/config';

async function bootstrap(): Promise<void> {
  // Fail fast, before anything starts, on a bad variable (named, never its value).
  const config = loadConfig(archivalConfigSchema);
  const app = await createArchivalApp();
  await listen(app, config.port, config.host, 'archival-service');
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
