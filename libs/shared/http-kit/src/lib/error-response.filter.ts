import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { BearerError, InvalidClientError, OAuthError, toErrorDescription } from '@playground/oauth-contracts';

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
 * - anything else → a fixed `server_error`. The stack goes to the log, never to the client.
 */
@Catch()
export class ErrorResponseFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorResponse');

  constructor(private readonly realm: string) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, body, headers } = this.toResponse(exception);
    for (const [name, value] of Object.entries(headers)) reply.header(name, value);
    reply.status(status).send(body);
  }

  toResponse(exception: unknown): { status: number; body: ErrorBody; headers: Record<string, string | string[]> } {
    if (exception instanceof OAuthError) {
      if (exception.status >= 500) this.logger.error(exception.reason ?? exception.message, (exception.cause as Error)?.stack);
      else if (exception.reason) this.logger.warn(`${exception.code}: ${exception.reason}`);
      const headers: Record<string, string> = { 'cache-control': 'no-store', pragma: 'no-cache' };
      if (exception instanceof InvalidClientError && exception.basicChallenge) {
        headers['www-authenticate'] = `Basic realm="${this.realm}", charset="UTF-8"`;
      }
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
    if (status !== undefined && status >= 400 && status < 500) {
      return { status, body: { error: errorCodeFor(status), error_description: toErrorDescription(describe(exception, status)) }, headers: {} };
    }
    this.logger.error(`unexpected error: ${(exception as Error)?.message ?? String(exception)}`, (exception as Error)?.stack);
    return { status: 500, body: SERVER_ERROR, headers: {} };
  }
}

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

function describe(exception: unknown, status: number): string {
  if (exception instanceof HttpException) {
    const response = exception.getResponse();
    if (typeof response === 'string') return response;
    const message = (response as { message?: unknown }).message;
    if (Array.isArray(message)) return message.join('; ');
    if (typeof message === 'string') return message;
  }
  // Fastify's own client errors (FST_ERR_CTP_*) carry safe, fixed messages.
  const message = (exception as Error)?.message;
  return typeof message === 'string' && message.length < 200 ? message : `request rejected (${status})`;
}
