import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, NestMiddleware } from '@nestjs/common';

const storage = new AsyncLocalStorage<string>();

/**
 * Makes the request's source address (the socket's peer; `trustProxy` is off, so no header can
 * forge it) available to client authentication without threading it through every endpoint:
 * the failed-authentication throttle keys on it. Applied to the OAuth endpoints only.
 */
@Injectable()
export class SourceAddressMiddleware implements NestMiddleware {
  use(request: IncomingMessage, _response: ServerResponse, next: () => void): void {
    storage.run(request.socket?.remoteAddress ?? 'unknown', next);
  }
}

/** The source address of the request being handled, or `unknown` outside one (CLI, tests). */
export function currentSourceAddress(): string {
  return storage.getStore() ?? 'unknown';
}
