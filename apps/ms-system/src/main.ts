import './instrumentation'; // first: tracing patches the modules loaded below
import { runApp } from '@playground/http-kit';
import { createMsSystemApp } from './app/bootstrap';
import { loadMsSystemConfig } from './app/config';

void runApp('ms-system', {
  listenOn: () => {
    const config = loadMsSystemConfig();
    return { port: config.PORT, host: config.HOST };
  },
  create: createMsSystemApp,
});
