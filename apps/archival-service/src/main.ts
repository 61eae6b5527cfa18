import './instrumentation'; // first: tracing patches the modules loaded below
import { loadConfig, runApp } from '@playground/http-kit';
import { createArchivalApp } from './app/bootstrap';
import { archivalConfigSchema } from './app/config';

void runApp('archival-service', {
  listenOn: () => {
    const config = loadConfig(archivalConfigSchema);
    return { port: config.port, host: config.host };
  },
  create: createArchivalApp,
});
