import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AUTH_SERVER_CONFIG, type AuthServerConfig } from '../config';
import { isResourceIndicator, REPORTS_RESOURCE } from './resource-indicator';
import { RESOURCE_SERVER_REPOSITORY, type ResourceServerRepository } from './resource-server.repository.port';

/**
 * The resource servers tokens may be issued for (RFC 8707), kept in Postgres (`resource_servers`)
 * so every instance and the CLI agree. Seeded on start with ms-system (MS_SYSTEM_RESOURCE) and
 * `urn:playground:reports`. Read through a short cache: the token endpoint must not pay a round
 * trip per request for a list that changes by hand.
 */
@Injectable()
export class ResourceRegistry implements OnApplicationBootstrap {
  private readonly logger = new Logger(ResourceRegistry.name);
  private cached?: { resources: ReadonlySet<string>; readAt: number };

  constructor(
    @Inject(RESOURCE_SERVER_REPOSITORY) private readonly repository: ResourceServerRepository,
    @Inject(AUTH_SERVER_CONFIG) private readonly config: AuthServerConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const resource of [this.config.MS_SYSTEM_RESOURCE, REPORTS_RESOURCE]) {
      if (await this.register(resource)) this.logger.log(`registered resource ${resource}`);
    }
  }

  /** Registers a resource indicator; true if it was new. Throws on a value RFC 8707 refuses. */
  async register(resource: string): Promise<boolean> {
    if (!isResourceIndicator(resource))
      throw new Error(`resource "${resource.slice(0, 80)}": an absolute URI without a fragment (RFC 8707 §2)`);
    const inserted = await this.repository.insert(resource);
    this.cached = undefined;
    return inserted;
  }

  /** Every registered resource indicator, at most RESOURCE_REFRESH_SECONDS old. */
  async registered(): Promise<ReadonlySet<string>> {
    if (this.cached && Date.now() - this.cached.readAt < this.config.RESOURCE_REFRESH_SECONDS * 1000) return this.cached.resources;
    this.cached = { resources: new Set(await this.repository.list()), readAt: Date.now() };
    return this.cached.resources;
  }
}
