import { BadRequestException, Controller, Get, MessageEvent, NotFoundException, Param, Query, Sse } from '@nestjs/common';
import { bufferTime, filter, interval, map, merge, type Observable } from 'rxjs';
import { z } from 'zod';
import type { Flow } from './assemble-flow';
import { FlowStore, type ScenarioRecord } from './flow-store.service';

const limitQuery = z.coerce.number().int().min(1).max(1000).default(50);
const TRACE_ID = /^[0-9a-f]{32}$/;

/**
 * The console API (docs/contract.md):
 * - `GET /console/api/flows?limit=N[&background=false]` → `{"flows":[…]}`, newest first;
 * - `GET /console/api/flows/:traceId` → `{"flow", "scenario"}` (scenario: what a button run saw);
 * - `GET /console/api/events` → Server-Sent Events, `data: {"traceIds":[…]}` when flows change.
 */
@Controller('api')
export class FlowsController {
  constructor(private readonly store: FlowStore) {}

  @Get('flows')
  list(@Query('limit') limit?: string, @Query('background') background?: string): { flows: (Flow & { scenario?: string })[] } {
    const parsed = limitQuery.safeParse(limit);
    if (!parsed.success) throw new BadRequestException('limit must be an integer from 1 to 1000');
    const flows = this.store.recent(parsed.data, background !== 'false');
    // A flow a scenario button started is named after it.
    return { flows: flows.map((flow) => ({ ...flow, scenario: this.store.scenario(flow.traceId)?.['title'] as string | undefined })) };
  }

  @Get('flows/:traceId')
  one(@Param('traceId') traceId: string): { flow: Flow | null; scenario: ScenarioRecord | null } {
    if (!TRACE_ID.test(traceId)) throw new BadRequestException('a trace id is 32 lowercase hex digits');
    const flow = this.store.flow(traceId);
    const scenario = this.store.scenario(traceId);
    if (!flow && !scenario) throw new NotFoundException('no such flow (yet)');
    return { flow: flow ?? null, scenario: scenario ?? null };
  }

  @Sse('events')
  events(): Observable<MessageEvent> {
    const changes = this.store.updates.pipe(
      bufferTime(250),
      filter((ids) => ids.length > 0),
      map((ids) => ({ type: 'flows', data: { traceIds: [...new Set(ids)] } })),
    );
    // A comment-like keep-alive so proxies and the browser keep the stream open.
    const keepAlive = interval(15_000).pipe(map(() => ({ type: 'ping', data: {} })));
    return merge(changes, keepAlive);
  }
}
