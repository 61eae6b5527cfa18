// The Node ceiling on this machine: a bare Fastify route returning the same country JSON that
// ms-system returns, with no auth, no framework layers and no database.
import Fastify from 'fastify';

const port = Number(process.argv[2]);
const app = Fastify({ logger: false });
app.get('/ms-system/country/code/:code', async () => ({ code: 'AUS', name: 'AUSTRALIA' }));
await app.listen({ port, host: '127.0.0.1' });
console.log(`ready http://127.0.0.1:${port}`);
