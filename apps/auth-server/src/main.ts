import './instrumentation'; // first: tracing patches the modules loaded below
import { runApp } from '@playground/http-kit';
import { createAuthServerApp } from './app/bootstrap';
import { loadAuthServerConfig } from './app/config';

void runApp('auth-server', {
  listenOn: () => {
    const config = loadAuthServerConfig();
    return { port: config.PORT, host: config.HOST };
  },
  create: createAuthServerApp,
});
