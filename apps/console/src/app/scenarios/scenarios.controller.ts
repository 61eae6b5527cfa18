import { Controller, Get, HttpCode, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ScenariosService, type ScenarioInfo, type ScenarioRun } from './scenarios.service';

/**
 * - `GET /console/api/scenarios` → the buttons: name, title, description, curl.
 * - `POST /console/api/scenarios/:name` → 202 `{"traceId"}` at once (the page follows the flow
 *   live); `?wait=true` answers 200 with the finished run instead (tests, scripts).
 */
@Controller('api/scenarios')
export class ScenariosController {
  constructor(private readonly scenarios: ScenariosService) {}

  @Get()
  list(): { scenarios: ScenarioInfo[] } {
    return { scenarios: this.scenarios.list() };
  }

  @Post(':name')
  @HttpCode(202)
  async run(@Param('name') name: string, @Query('wait') wait?: string): Promise<{ traceId: string } | ScenarioRun> {
    if (!this.scenarios.isScenario(name)) throw new NotFoundException('no such scenario');
    const { traceId, done } = this.scenarios.start(name);
    return wait === 'true' ? await done : { traceId };
  }
}
