import { Module } from '@nestjs/common';
import { ResourceRegistry } from './resource-registry';
import { PostgresResourceServerRepository, RESOURCE_SERVER_REPOSITORY } from './resource-server.repository';

/** RFC 8707 resource servers: the registry and its seed. */
@Module({
  providers: [ResourceRegistry, { provide: RESOURCE_SERVER_REPOSITORY, useClass: PostgresResourceServerRepository }],
  exports: [ResourceRegistry],
})
export class ResourcesModule {}
