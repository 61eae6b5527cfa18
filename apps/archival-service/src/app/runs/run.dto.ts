import { ApiProperty } from '@nestjs/swagger';
import type { ArchiveRunEntity, RunStatus } from './archive-run.entity';

/** A run on the wire, exactly the contract's fields. */
export class RunDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'cron:2026-11-23T10:51:00Z', description: '`cron:<UTC instant>` or `manual:<uuid>`; unique' })
  slot!: string;

  @ApiProperty({ enum: ['queued', 'running', 'succeeded', 'failed'] })
  status!: RunStatus;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  startedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt!: string | null;

  @ApiProperty({ example: 249 })
  countriesArchived!: number;

  @ApiProperty({ type: String, nullable: true, example: null, description: 'why the run failed' })
  error!: string | null;
}

export class TriggerRunDto {
  @ApiProperty({
    required: false,
    description: 'Replay a given slot (e.g. a schedule slot); omitted → a new manual slot',
    example: 'cron:2026-11-23T10:51:00Z',
  })
  slot?: string;
}

export function toRunDto(run: ArchiveRunEntity): RunDto {
  return {
    id: run.id,
    slot: run.slot,
    status: run.status,
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    countriesArchived: run.countriesArchived,
    error: run.error,
  };
}
