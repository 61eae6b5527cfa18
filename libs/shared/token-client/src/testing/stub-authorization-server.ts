import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type StubReply = { status: number; body?: unknown; delayMs?: number; headers?: Record<string, string> } | 'destroy';

/**
 * A tiny authorization server + resource server on 127.0.0.1 for unit tests (node:http only):
 * RFC 8414 metadata under `<issuer>/.well-known/oauth-authorization-server`, a token endpoint
 * and a `/resource` whose answers the test programs.
 */
export interface StubAuthorizationServer {
  issuer: string;
  origin: string;
  tokenRequests: RecordedRequest[];
  metadataRequests: RecordedRequest[];
  resourceRequests: RecordedRequest[];
  /** Answers the n-th (1-based) token request. Default: a fresh token living 3600 s. */
  onToken: (n: number, request: RecordedRequest) => StubReply;
  /** Answers the n-th resource request. Default: 200 `{"ok":true}`. */
  onResource: (n: number, request: RecordedRequest) => StubReply;
  close(): Promise<void>;
}

export async function startStubAuthorizationServer(basePath = '/auth'): Promise<StubAuthorizationServer> {
  let issued = 0;
  const stub: StubAuthorizationServer = {
    issuer: '',
    origin: '',
    tokenRequests: [],
    metadataRequests: [],
    resourceRequests: [],
    onToken: () => ({
      status: 200,
      body: { access_token: `token-${++issued}`, token_type: 'Bearer', expires_in: 3600, scope: 'country.read' },
    }),
    onResource: () => ({ status: 200, body: { ok: true } }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0];
      const request: RecordedRequest = { method: req.method ?? '', path, headers: req.headers, body };
      if (path === `${basePath}/.well-known/oauth-authorization-server`) {
        stub.metadataRequests.push(request);
        return reply(res, {
          status: 200,
          body: { issuer: stub.issuer, token_endpoint: `${stub.issuer}/oauth2/token`, grant_types_supported: ['client_credentials'] },
        });
      }
      if (path === `${basePath}/oauth2/token` && req.method === 'POST') {
        stub.tokenRequests.push(request);
        return reply(res, stub.onToken(stub.tokenRequests.length, request));
      }
      if (path === '/resource') {
        stub.resourceRequests.push(request);
        return reply(res, stub.onResource(stub.resourceRequests.length, request));
      }
      reply(res, { status: 404, body: { error: 'not_found' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  stub.origin = `http://127.0.0.1:${port}`;
  stub.issuer = `${stub.origin}${basePath}`;
  return stub;
}

function reply(res: ServerResponse, answer: StubReply): void {
  if (answer === 'destroy') {
    res.socket?.destroy();
    return;
  }
  const send = () => {
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  };
  if (answer.delayMs) setTimeout(send, answer.delayMs);
  else send();
}
