import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  BearerError,
  InvalidClientError,
  InvalidRequestError,
  OAuthError,
  TemporarilyUnavailableError,
  toErrorDescription,
} from '@playground/oauth-contracts';
import { classifyDatabaseError } from './database-errors';
import { allowedMethods, type RoutedRequest } from './route-not-found';

export interface ErrorBody {
  error: string;
  error_description?: string;
}

const SERVER_ERROR: ErrorBody = {
  error: 'server_error',
  error_description: 'the server encountered an unexpected condition',
};

/**
 * The one place where errors become HTTP responses, for every app:
 * - OAuthError → RFC 6749 §5.2 body, `no-store`, and `WWW-Authenticate: Basic` for a failed Basic login;
 * - BearerError → RFC 6750 §3 status and `WWW-Authenticate: Bearer …`;
 * - HttpException and Fastify's own 4xx (bad JSON, body too large, bad media type) → `{error, error_description}`;
 *   Fastify's messages name the request's content type, so they get a fixed description per status;
 * - no route for the path → 404 `no such resource`; a known path with another method → 405 with
 *   `Allow`. Nothing of the request (query string, header values) is ever echoed;
 * - a PostgreSQL outage → 503 `temporarily_unavailable` with `Retry-After`; a value PostgreSQL
 *   cannot take (SQLSTATE class 22) → 400 `invalid_request` (see database-errors.ts);
 * - anything else → a fixed `server_error`. The stack goes to the log, never to the client.
 */
@Catch()
export class ErrorResponseFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorResponse');

  constructor(private readonly realm: string) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<RoutedRequest | undefined>();
    const { status, body, headers } = this.toResponse(exception, request);
    for (const [name, value] of Object.entries(headers)) reply.header(name, value);
    reply.status(status).send(body);
  }

  toResponse(exception: unknown, request?: RoutedRequest): { status: number; body: ErrorBody; headers: Record<string, string | string[]> } {
    const database = classifyDatabaseError(exception);
    if (database === 'unavailable') {
      this.logger.warn(`database unavailable: ${(exception as Error)?.message}`);
      exception = TemporarilyUnavailableError.outage();
    } else if (database === 'bad_input') {
      exception = new InvalidRequestError('a parameter has a value this server cannot process', { reason: (exception as Error)?.message });
    }
    if (exception instanceof OAuthError) {
      if (exception instanceof TemporarilyUnavailableError) this.logger.debug(`${exception.code}: ${exception.reason ?? exception.status}`);
      else if (exception.status >= 500) this.logger.error(exception.reason ?? exception.message, (exception.cause as Error)?.stack);
      else if (exception.reason) this.logger.warn(`${exception.code}: ${exception.reason}`);
      const headers: Record<string, string> = { 'cache-control': 'no-store', pragma: 'no-cache' };
      if (exception instanceof InvalidClientError && exception.basicChallenge) {
        headers['www-authenticate'] = `Basic realm="${this.realm}", charset="UTF-8"`;
      }
      if (exception instanceof TemporarilyUnavailableError) headers['retry-after'] = String(exception.retryAfterSeconds);
      return { status: exception.status, body: exception.toJSON(), headers };
    }
    if (exception instanceof BearerError) {
      if (exception.reason) this.logger.debug(`bearer ${exception.code}: ${exception.reason}`);
      return {
        status: exception.status,
        body: exception.toJSON(),
        // One header line per scheme (RFC 9110 §11.6.1): Bearer, and DPoP when the server takes it.
        headers: { 'www-authenticate': oneOrMany(exception.challenges(this.realm)) },
      };
    }
    const status = statusOf(exception);
    if (status === 404) {
      const allow = allowedMethods(request);
      if (allow?.length) {
        return {
          status: 405,
          body: { error: 'method_not_allowed', error_description: 'this method is not allowed here' },
          headers: { allow: allow.join(', ') },
        };
      }
      if (allow) return { status: 404, body: NO_SUCH_RESOURCE, headers: {} };
    }
    if (status !== undefined && status >= 400 && status < 500) {
      return {
        status,
        body: { error: errorCodeFor(status), error_description: toErrorDescription(describe(exception, status)) },
        headers: {},
      };
    }
    this.logger.error(`unexpected error: ${(exception as Error)?.message ?? String(exception)}`, (exception as Error)?.stack);
    return { status: 500, body: SERVER_ERROR, headers: {} };
  }
}

const NO_SUCH_RESOURCE: ErrorBody = { error: 'not_found', error_description: 'no such resource' };
function oneOrMany(values: string[]): string | string[] {
  return values.length === 1 ? values[0] : values;
}

function statusOf(exception: unknown): number | undefined {
  if (exception instanceof HttpException) return exception.getStatus();
  const candidate = (exception as { statusCode?: unknown })?.statusCode;
  return typeof candidate === 'number' ? candidate : undefined;
}

function errorCodeFor(status: number): string {
  switch (status) {
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 405:
      return 'method_not_allowed';
    case 413:
      return 'request_too_large';
    case 415:
      return 'unsupported_media_type';
    case 429:
      return 'too_many_requests';
    case 431:
      return 'request_header_fields_too_large';
    default:
      return 'invalid_request';
  }
}

const FIXED_DESCRIPTIONS: Record<number, string> = {
  400: 'the request is malformed',
  404: 'no such resource',
  408: 'the request took too long',
  413: 'the request body is too large',
  415: 'the request content type is not supported',
  431: 'request headers are too large',
};

function describe(exception: unknown, status: number): string {
  if (exception instanceof HttpException) {
    const response = exception.getResponse();
    if (typeof response === 'string') return response;
    const message = (response as { message?: unknown }).message;
    if (Array.isArray(message)) return message.join('; ');
    if (typeof message === 'string') return message;
  }
  // Fastify's own client errors (FST_ERR_CTP_*, FST_ERR_NOT_FOUND) may quote the content type
  // or the URL: a fixed description per status instead, so no header or query string is echoed.
  return FIXED_DESCRIPTIONS[status] ?? 'the request was rejected';
}
