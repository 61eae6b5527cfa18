import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  path: string;
  /** The bearer token archival-service sent (kept only in the test, to revoke it). */
  token: string | undefined;
  status: number;
}

/**
 * A pass-through HTTP proxy in front of ms-system that remembers which bearer token each request
 * carried and what ms-system answered. archival-service never reveals its token (not in logs, not
 * in any API), so this is how the e2e learns the token it must revoke.
 */
export async function startRecordingProxy(
  target: () => string,
): Promise<{ url: string; requests: ProxiedRequest[]; close(): Promise<void> }> {
  const requests: ProxiedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const upstream = new URL(req.url ?? '/', target());
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name)) headers.set(name, value);
    }
    fetch(upstream, { method: req.method, headers })
      .then(async (response) => {
        const body = Buffer.from(await response.arrayBuffer());
        requests.push({ path: req.url ?? '', token: /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1], status: response.status });
        const out: Record<string, string> = {};
        response.headers.forEach((value, name) => {
          if (!['content-length', 'transfer-encoding', 'connection', 'content-encoding'].includes(name)) out[name] = value;
        });
        res.writeHead(response.status, out).end(body);
      })
      .catch(() => res.writeHead(502).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
