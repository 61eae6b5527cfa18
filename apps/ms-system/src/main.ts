import './instrumentation'; // first: tracing patches the modules loaded below
import { Logger } from '@nestjs/common';
import { listen } from '@playground/http-kit';
import { createMsSystemApp } from './app/bootstrap';
import { loadMsSystemConfig } from './app/config';

async function main(): Promise<void> {
  const config = loadMsSystemConfig(); // fail fast on bad configuration, before Postgres starts
  const app = await createMsSystemApp();
  await listen(app, config.PORT, config.HOST, 'ms-system');
}

main().catch((error: Error) => {
  new Logger('ms-system').error(`failed to start: ${error.message}`);
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 5000).unref();
});
