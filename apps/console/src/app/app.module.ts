import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { loggerParams } from '@playground/http-kit';
import { ConsoleConfigModule } from './config';
import { FlowStore } from './flows/flow-store.service';
import { FlowsController } from './flows/flows.controller';
import { OtlpController } from './flows/otlp.controller';
import { HealthController } from './health.controller';
import { ScenariosController } from './scenarios/scenarios.controller';
import { ScenariosService } from './scenarios/scenarios.service';

/** The flow console: OTLP receiver, flow store, API + SSE, scenario client. No database. */
@Module({
  // warn by default: every app posts a batch of spans twice a second, which is no news.
  imports: [LoggerModule.forRoot(loggerParams('console', process.env['LOG_LEVEL'] ?? 'warn')), ConsoleConfigModule],
  controllers: [OtlpController, FlowsController, ScenariosController, HealthController],
  providers: [FlowStore, ScenariosService],
})
export class AppModule {}
