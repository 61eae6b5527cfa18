import type { ValueTransformer } from 'typeorm';

/** Postgres `bigint` comes back from `pg` as a string; unix seconds fit a JS number exactly. */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
