import { Controller, Get } from '@nestjs/common';

/** Liveness for the launcher and compose: the console depends on nothing else to serve. */
@Controller('health')
export class HealthController {
  @Get()
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
