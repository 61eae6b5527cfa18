import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DatabaseHealthController } from './database-health.controller';

/** The `/health` endpoint of an app that uses DatabaseModule (see DatabaseHealthController). */
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [DatabaseHealthController],
})
export class DatabaseHealthModule {}
