import { Module } from '@nestjs/common';
import { ResourceRegistry } from './resource-registry';
import { PostgresResourceServerRepository } from './resource-server.repository';
import { RESOURCE_SERVER_REPOSITORY } from './resource-server.repository.port';

/** RFC 8707 resource servers: the registry and its seed. */
@Module({
  providers: [ResourceRegistry, { provide: RESOURCE_SERVER_REPOSITORY, useClass: PostgresResourceServerRepository }],
  exports: [ResourceRegistry],
})
export class ResourcesModule {}
