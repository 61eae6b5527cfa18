import { listen } from '@playground/http-kit';
import { createConsoleApp } from './app/bootstrap';
import { loadConsoleConfig } from './app/config';

// No `./instrumentation` here: the console receives traces and does not send any. Its scenario
// client is traced in-process (src/app/scenarios/client-tracing.ts).
async function main(): Promise<void> {
  const config = loadConsoleConfig(); // fail fast on bad configuration
  const app = await createConsoleApp();
  await listen(app, config.PORT, config.HOST, 'console');
}

main().catch((error: Error) => {
  process.stderr.write(`console failed to start: ${error.message}\n`);
  process.exit(1);
});
