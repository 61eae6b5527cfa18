// A round-robin reverse proxy on loopback, standing in for the load balancer in front of several
// replicas: `node round-robin-front.mjs <port> <prefix>=<port>,<port> [<prefix>=…]`. A request
// whose path starts with a prefix goes to that prefix's next upstream in turn. http-proxy-3 (the
// maintained fork of node-http-proxy) proxies; keep-alive upstream connections, as nginx with an
// `upstream { keepalive … }` block would hold them.
import { Agent, createServer } from 'node:http';
import { createProxyServer } from 'http-proxy-3';

const [port, ...specs] = process.argv.slice(2);
const routes = specs.map((spec) => {
  const [prefix, ports] = spec.split('=');
  return { prefix, targets: ports.split(',').map((p) => `http://127.0.0.1:${p}`), next: 0 };
});
const proxy = createProxyServer({ agent: new Agent({ keepAlive: true, maxSockets: 256 }) });
createServer((req, res) => {
  const route = routes.find((r) => req.url.startsWith(r.prefix));
  if (!route) return res.writeHead(404).end();
  const target = route.targets[route.next++ % route.targets.length];
  proxy.web(req, res, { target }, () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
}).listen(Number(port), '127.0.0.1');
