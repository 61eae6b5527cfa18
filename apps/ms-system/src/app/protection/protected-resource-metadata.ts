import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { AuthorizationServerClient } from '@playground/bearer-auth';
import { DPOP_SIGNING_ALGS, type ProtectedResourceMetadata } from '@playground/oauth-contracts';
import { MS_SYSTEM_CONFIG, type MsSystemConfig } from '../config';

/** The scopes ms-system's routes require. */
const SCOPES = ['country.read'];

/**
 * RFC 9728 §3.1: the metadata of resource `http://host/ms-system` lives at
 * `http://host/.well-known/oauth-protected-resource/ms-system`.
 */
export function protectedResourceMetadataUrl(resource: string): string {
  const url = new URL(resource);
  return `${url.origin}/.well-known/oauth-protected-resource${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * RFC 9728 protected resource metadata: which authorization server issues tokens for ms-system,
 * its scopes, how to send tokens and which DPoP algorithms its proofs may use. Served outside the
 * global prefix (the well-known path sits at the root), so it is a plain Fastify route.
 */
@Injectable()
export class ProtectedResourceMetadataRoute implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly authServer: AuthorizationServerClient,
    @Inject(MS_SYSTEM_CONFIG) private readonly config: MsSystemConfig,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    fastify.get(new URL(protectedResourceMetadataUrl(this.config.MS_SYSTEM_RESOURCE)).pathname, async (_request, reply) => {
      void reply.header('cache-control', 'public, max-age=300');
      return this.metadata();
    });
  }

  async metadata(): Promise<ProtectedResourceMetadata> {
    // The issuer the metadata names; while the authorization server is unreachable, the configured URL.
    const issuer = await this.authServer.discover().then(
      (endpoints) => endpoints.issuer,
      () => this.config.AUTH_SERVER_URL.replace(/\/+$/, ''),
    );
    return {
      resource: this.config.MS_SYSTEM_RESOURCE,
      authorization_servers: [issuer],
      scopes_supported: SCOPES,
      bearer_methods_supported: ['header'],
      dpop_signing_alg_values_supported: [...DPOP_SIGNING_ALGS],
    };
  }
}
