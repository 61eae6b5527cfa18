import { connect, createServer } from 'node:net';

/**
 * A loopback TCP proxy to one or more upstream ports (round robin per connection). `stall()`
 * makes it accept connections and never answer (a hung upstream); `pass()` forwards again.
 */
export async function startTcpProxy(upstreamPorts, { port = 0 } = {}) {
  let next = 0;
  let stalled = false;
  const sockets = new Set();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    if (stalled) return; // hold the connection, forward nothing
    const upstream = connect(upstreamPorts[next++ % upstreamPorts.length], '127.0.0.1');
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => upstream.destroy());
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    stall: () => (stalled = true),
    pass: () => (stalled = false),
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
