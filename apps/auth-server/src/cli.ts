import { NestFactory } from '@nestjs/core';
import { CliModule } from './app/cli/cli.module';
import { runCommand, USAGE } from './app/cli/client-commands';
import { JanitorService } from './app/janitor/janitor.service';
import { ClientAdminService } from './app/clients/client-admin.service';
import { SigningKeyService } from './app/keys/signing-key.service';
import { ResourceRegistry } from './app/resources/resource-registry';

/**
 * Client administration: `npm run clients -- create|list|rotate-secret|disable|rotate-signing-key|janitor …`.
 * Works on the same database as the server (DATABASE_URL, or the embedded Postgres, joined if
 * the server is running). Secrets are printed once, to stdout, and never logged.
 */
async function main(argv: string[]): Promise<number> {
  if (!argv.length || argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const app = await NestFactory.createApplicationContext(CliModule, { logger: ['error', 'warn'] });
  try {
    await runCommand(argv, {
      clients: app.get(ClientAdminService),
      resources: app.get(ResourceRegistry),
      keys: app.get(SigningKeyService),
      janitor: app.get(JanitorService),
      out: (line) => process.stdout.write(`${line}\n`),
    });
    return 0;
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`error: ${error.message}\n`);
    process.exit(1);
  },
);
