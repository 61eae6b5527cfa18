import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import { Logger as NestLogger, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { ErrorResponseFilter } from './error-response.filter';
import { logsRequests } from './logging';

export interface CreateAppOptions {
  /** Global route prefix, e.g. `/ms-auth-server`. */
  basePath: string;
  /** `realm` of WWW-Authenticate challenges. */
  realm: string;
  /** Largest accepted request body. OAuth forms are tiny; 64 KiB is generous. */
  bodyLimit?: number;
  /**
   * Reverse proxies whose X-Forwarded-For/-Proto/-Host Fastify believes (`request.ip`,
   * `request.protocol`, `request.host`); false (the default): none, the socket is the truth.
   */
  trustProxy?: string[] | false;
}

/**
 * A NestJS app on Fastify with the playground's safety defaults, shared by every service:
 * body limit, pino logger with redaction, one error filter, JSON for Node-level client errors
 * (431 oversized headers included), and graceful shutdown hooks.
 */
export async function createApp(module: Type<unknown>, options: CreateAppOptions): Promise<NestFastifyApplication> {
  const filter = new ErrorResponseFilter(options.realm);
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    trustProxy: options.trustProxy || false,
    return503OnClosing: true,
    clientErrorHandler: jsonClientError,
    // Nest runs every request through Fastify's middleware layer (middie) even when no Nest
    // middleware is mounted; the request logger is the only one, so without it the hop goes.
    skipMiddie: !logsRequests(),
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix(options.basePath.replace(/^\//, ''));
  app.useGlobalFilters(filter);
  // Errors Fastify raises before a route runs (content-type parser, body limit) reach this same
  // filter too: Nest registers Fastify's error handler and passes them through the global filters.
  app.enableShutdownHooks();
  return app;
}

/** Listens and logs the address. */
export async function listen(app: NestFastifyApplication, port: number, host: string, name: string): Promise<void> {
  await app.listen(port, host);
  new NestLogger(name).log(`listening on http://${host}:${port}`);
}

/**
 * Node rejects malformed requests and oversized headers before any framework sees them;
 * answer those with the same JSON error shape instead of an empty body.
 */
function jsonClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const body = JSON.stringify({
    error: status === 431 ? 'request_header_fields_too_large' : 'invalid_request',
    error_description: status === 431 ? 'request headers are too large' : 'malformed HTTP request',
  });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
