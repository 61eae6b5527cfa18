import { Logger } from '@nestjs/common';
import { listen } from '@playground/http-kit';
import { createAuthServerApp } from './app/bootstrap';
import { loadAuthServerConfig } from './app/config';

async function main(): Promise<void> {
  const config = loadAuthServerConfig(); // fail fast on bad configuration, before Postgres starts
  const app = await createAuthServerApp();
  await listen(app, config.PORT, config.HOST, 'auth-server');
}

main().catch((error: Error) => {
  new Logger('auth-server').error(`failed to start: ${error.message}`);
  process.exitCode = 1;
  // Whatever was started (embedded Postgres included) has been closed by Nest's failed init
  // or will not keep the process alive past this point.
  setTimeout(() => process.exit(1), 5000).unref();
});
