import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProxyServer } from 'http-proxy-3';

export interface RoundRobinFront {
  /** `http://127.0.0.1:<port>` of the front. */
  origin: string;
  /** How many requests each upstream port received, for asserting that both were used. */
  hits: Map<number, number>;
  close(): Promise<void>;
}

/**
 * A round-robin reverse proxy on loopback, as a load balancer in front of several instances of
 * each app: a request whose path starts with a key of `routes` goes to the next of that key's
 * upstream ports in turn. `http-proxy-3` (the maintained fork of node-http-proxy) does the
 * proxying; the Host header is passed through unchanged, as a front for one public name does.
 */
export async function startRoundRobinFront(routes: Record<string, number[]>): Promise<RoundRobinFront> {
  const proxy = createProxyServer({ xfwd: true });
  const next = new Map<string, number>();
  const hits = new Map<number, number>();
  const server: Server = createServer((req, res) => {
    const prefix = Object.keys(routes).find((p) => req.url?.startsWith(p));
    if (!prefix) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no route"}');
      return;
    }
    const ports = routes[prefix];
    const turn = next.get(prefix) ?? 0;
    next.set(prefix, turn + 1);
    const port = ports[turn % ports.length];
    hits.set(port, (hits.get(port) ?? 0) + 1);
    proxy.web(req, res, { target: `http://127.0.0.1:${port}` }, () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end('{"error":"bad gateway"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    hits,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      proxy.close();
    },
  };
}
