import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeAuthServer } from '@playground/testing';

/** A loopback HTTP server that can be stopped and started again on the same port. */
class StubServer {
  port = 0;
  private server?: Server;

  constructor(private readonly handle: (req: IncomingMessage, res: ServerResponse, body: string) => void) {}

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => this.handle(req, res, body));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export interface PageRequest {
  page: number;
  size: number;
  at: number;
}

/**
 * ms-system's `GET /ms-system/country?page&size` over `count` made-up countries, protected by
 * the fake authorization server's tokens (@playground/testing). `failWith` makes the next requests answer an error status.
 */
export class StubMsSystem {
  readonly basePath = '/ms-system';
  readonly countries: { code: string; name: string }[];
  pageRequests: PageRequest[] = [];
  unauthorized = 0;
  /** Answer the next `remaining` page requests with `status` (Infinity: until changed). */
  failWith: { status: number; remaining: number; fromPage?: number } | undefined;
  /** Delay of each page answer, to make runs last. */
  delayMs = 0;
  private readonly http = new StubServer((req, res) => this.handle(req, res));

  constructor(
    private readonly auth: FakeAuthServer,
    count = 249,
  ) {
    this.countries = Array.from({ length: count }, (_, i) => {
      const code = String.fromCharCode(65 + Math.floor(i / 676), 65 + (Math.floor(i / 26) % 26), 65 + (i % 26));
      return { code, name: `COUNTRY ${code}` };
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.http.port}${this.basePath}`;
  }

  start(): Promise<void> {
    return this.http.start();
  }

  stop(): Promise<void> {
    return this.http.stop();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://stub');
    if (url.pathname !== `${this.basePath}/country`) return json(res, 404, { error: 'not_found' });
    const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !this.auth.isActive(token)) {
      this.unauthorized++;
      return json(res, 401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer error="invalid_token"' });
    }
    const page = Number(url.searchParams.get('page') ?? 1);
    const size = Number(url.searchParams.get('size') ?? 20);
    this.pageRequests.push({ page, size, at: Date.now() });
    const answer = () => {
      if (this.failWith && this.failWith.remaining > 0 && page >= (this.failWith.fromPage ?? 1)) {
        this.failWith.remaining--;
        return json(res, this.failWith.status, { error: this.failWith.status === 403 ? 'insufficient_scope' : 'server_error' });
      }
      if (size > 100) return json(res, 400, { error: 'invalid_request' });
      const items = this.countries.slice((page - 1) * size, page * size);
      json(res, 200, { items, page, size, total: this.countries.length });
    };
    if (this.delayMs) setTimeout(answer, this.delayMs);
    else answer();
  }
}
