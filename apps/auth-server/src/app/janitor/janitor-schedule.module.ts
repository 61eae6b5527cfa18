import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { JanitorScheduler } from './janitor-scheduler.service';
import { JanitorModule } from './janitor.module';

/** The server's janitor: the same sweep on JANITOR_CRON (`off` disables it). */
@Module({
  imports: [ScheduleModule.forRoot(), JanitorModule],
  providers: [JanitorScheduler],
  exports: [JanitorScheduler],
})
export class JanitorScheduleModule {}
