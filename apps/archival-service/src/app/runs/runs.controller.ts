import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { RunDto, TriggerRunDto, toRunDto } from './run.dto';
import { RunsService } from './runs.service';
import { SLOT_PATTERN } from './schedule-slot';

const triggerBody = z
  .object({ slot: z.string().regex(SLOT_PATTERN, 'slot must be cron:<YYYY-MM-DDTHH:MM:SSZ> or manual:<uuid>').optional() })
  .nullish();

const limitQuery = z.coerce.number().int().min(1).max(1000).default(100);

@ApiTags('runs')
@Controller('runs')
export class RunsController {
  constructor(private readonly runs: RunsService) {}

  @Get()
  @ApiOkResponse({ type: RunDto, isArray: true, description: 'Latest first' })
  @ApiQuery({ name: 'limit', required: false, description: '1–1000, default 100' })
  async list(@Query('limit') limit?: string): Promise<RunDto[]> {
    const parsed = limitQuery.safeParse(limit);
    if (!parsed.success) throw new BadRequestException('limit must be an integer from 1 to 1000');
    return (await this.runs.list(parsed.data)).map(toRunDto);
  }

  @Get(':id')
  @ApiOkResponse({ type: RunDto })
  @ApiNotFoundResponse({ description: 'No such run' })
  @ApiBadRequestResponse({ description: 'Not a UUID' })
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<RunDto> {
    const run = await this.runs.find(id);
    if (!run) throw new NotFoundException('run not found');
    return toRunDto(run);
  }

  /**
   * Triggers a run now and answers before it is processed. Naming the slot of an existing run
   * stores nothing twice: a failed run is re-queued (202), any other is returned as is (200).
   */
  @Post()
  @HttpCode(202)
  @ApiBody({ type: TriggerRunDto, required: false })
  @ApiAcceptedResponse({ type: RunDto, description: 'Run queued (new slot, or a failed slot re-queued)' })
  @ApiOkResponse({ type: RunDto, description: 'The slot already has a run queued, running or succeeded: nothing new' })
  async trigger(@Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<RunDto> {
    if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) {
      throw new BadRequestException('the body must be empty or a JSON object with a string slot, such as cron:2026-11-23T10:51:00Z');
    }
    const parsed = triggerBody.safeParse(body);
    if (!parsed.success) throw new BadRequestException(parsed.error.issues.map((issue) => issue.message).join('; '));
    const { run, accepted } = await this.runs.trigger(parsed.data?.slot);
    if (!accepted) reply.status(200);
    return toRunDto(run);
  }
}
