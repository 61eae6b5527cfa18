import './instrumentation'; // first: tracing patches the modules loaded below
import { runApp } from '@playground/http-kit';
import { createAuthServerApp } from './app/bootstrap';
import { loadAuthServerConfig } from './app/config';
import { startIdleHeapReducer } from './app/memory/idle-heap-reducer';

void runApp('auth-server', {
  listenOn: () => {
    const config = loadAuthServerConfig();
    return { port: config.PORT, host: config.HOST };
  },
  create: createAuthServerApp,
}).then(() => startIdleHeapReducer()); // RSS back near its idle level once a burst of load ends (issue 10)
