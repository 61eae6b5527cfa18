import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { BASE_PATH } from '../config';
import { MetadataService } from './metadata.service';

/**
 * RFC 8414 §3 puts the metadata of issuer `http://host/ms-auth-server` at
 * `http://host/.well-known/oauth-authorization-server/ms-auth-server` — outside this app's global
 * prefix, where Nest controllers cannot go. So it is a plain Fastify route, serving the same body.
 */
@Injectable()
export class RootWellKnownRoute implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metadata: MetadataService,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return; // an application context without HTTP (the CLI)
    for (const url of this.metadata.rootPaths(BASE_PATH)) {
      fastify.get(url, async (_request, reply) => {
        void reply.header('cache-control', 'public, max-age=300');
        return this.metadata.metadata();
      });
    }
  }
}
