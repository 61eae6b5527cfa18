import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';

/**
 * Fastify answers a content type it has no parser for with its own 415 before any route runs.
 * The OAuth endpoints must answer `invalid_request` in RFC 6749 §5.2 form instead, so every other
 * content type is accepted here as a raw Buffer (within the same body limit) and the form step
 * of each endpoint rejects it. Nest's own form and JSON parsers stay in place.
 */
@Injectable()
export class CatchAllContentTypeParser implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || fastify.hasContentTypeParser('*')) return;
    fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  }
}
