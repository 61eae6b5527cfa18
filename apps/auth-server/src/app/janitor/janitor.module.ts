import { Module } from '@nestjs/common';
import { TypeOrmJanitorRepository } from './janitor.repository';
import { JANITOR_REPOSITORY } from './janitor.repository.port';
import { JanitorService } from './janitor.service';

/** The janitor itself, for the CLI and the scheduler: deletes expired rows on demand. */
@Module({
  providers: [{ provide: JANITOR_REPOSITORY, useClass: TypeOrmJanitorRepository }, JanitorService],
  exports: [JanitorService],
})
export class JanitorModule {}
