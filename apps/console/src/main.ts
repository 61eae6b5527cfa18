// No `./instrumentation` here: the console receives traces and does not send any. Its scenario
// client is traced in-process (src/app/scenarios/client-tracing.ts).
import { runApp } from '@playground/http-kit';
import { createConsoleApp } from './app/bootstrap';
import { loadConsoleConfig } from './app/config';

void runApp('console', {
  listenOn: () => {
    const config = loadConsoleConfig();
    return { port: config.PORT, host: config.HOST };
  },
  create: () => createConsoleApp(),
});
