import { Controller, Get, Header, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics } from 'prom-client';
import { metricsRegistry, oauthMetrics } from './oauth-metrics';

let defaultsCollected = false;

/** `GET <base path>/metrics`: Prometheus text format 0.0.4 (for scrapers, so not in the OpenAPI document). */
@ApiExcludeController()
@Controller()
export class MetricsController {
  @Get('metrics')
  @Header('Content-Type', metricsRegistry.contentType)
  @Header('Cache-Control', 'no-store')
  metrics(): Promise<string> {
    return metricsRegistry.metrics();
  }
}

/**
 * Prometheus metrics for an app: the OAuth counters (`oauthMetrics`), the default process
 * metrics of prom-client, and the duration of every request by route template (a Fastify
 * `onResponse` hook, so requests refused by a guard or a parser count too).
 */
@Module({ controllers: [MetricsController] })
export class MetricsModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    if (!defaultsCollected) {
      collectDefaultMetrics({ register: metricsRegistry });
      defaultsCollected = true;
    }
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    fastify?.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      // The route template, never the raw URL: a URL may carry anything, and would explode the
      // label set. Unmatched requests count under one label.
      const route = request.routeOptions?.url ?? 'unmatched';
      oauthMetrics.httpRequestDuration.observe(
        { method: request.method, route, status_code: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
      done();
    });
  }
}
