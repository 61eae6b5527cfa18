import { Column, Entity, PrimaryColumn } from 'typeorm';

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** One archive run (table `archive_runs`, see the migration for the constraints). */
@Entity({ name: 'archive_runs' })
export class ArchiveRunEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text', unique: true })
  slot!: string;

  @Column({ type: 'text' })
  status!: RunStatus;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ name: 'countries_archived', type: 'integer' })
  countriesArchived!: number;

  @Column({ type: 'text', nullable: true })
  error!: string | null;
}

/** One country of a run's snapshot (table `archived_countries`, unique per run and code). */
@Entity({ name: 'archived_countries' })
export class ArchivedCountryEntity {
  @PrimaryColumn({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @PrimaryColumn({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  name!: string;
}
