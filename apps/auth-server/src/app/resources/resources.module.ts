import { Module } from '@nestjs/common';
import { ResourceRegistry } from './resource-registry';

/** RFC 8707 resource servers: the registry and its seed. */
@Module({
  providers: [ResourceRegistry],
  exports: [ResourceRegistry],
})
export class ResourcesModule {}
