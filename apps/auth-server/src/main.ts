import './instrumentation'; // first: tracing patches the modules loaded below
import { listen } from '@playground/http-kit';
import { createAuthServerApp } from './app/bootstrap';
import { loadAuthServerConfig } from './app/config';

async function main(): Promise<void> {
  const config = loadAuthServerConfig(); // fail fast on bad configuration, before Postgres starts
  const app = await createAuthServerApp();
  try {
    await listen(app, config.PORT, config.HOST, 'auth-server');
  } catch (error) {
    // A failed boot (port taken, production guard, migrations) must not leave the embedded
    // Postgres or the pool running behind a process that will never serve.
    await app.close().catch(() => undefined);
    throw error;
  }
}

main().catch((error: Error) => {
  // Straight to stderr: Nest buffers its own logs until the app logger is attached, and a
  // failed boot may never get that far. The message never carries a secret (see config.ts).
  process.stderr.write(`auth-server failed to start: ${error.message}\n`);
  if (process.env['DEBUG_BOOT']) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
