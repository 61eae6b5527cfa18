/**
 * The schedule slot of a cron tick: `cron:` + the scheduled instant in UTC, to the second
 * (`cron:2026-11-23T10:51:00Z`). Every instance firing for the same tick computes the same slot,
 * and the UNIQUE slot lets only one of them create the run. The fire time is rounded, not
 * truncated: a timer that fires a few milliseconds early or late still names the right second.
 */
export function scheduleSlot(firedAt: Date): string {
  const second = Math.round(firedAt.getTime() / 1000) * 1000;
  return `cron:${new Date(second).toISOString().replace('.000Z', 'Z')}`;
}

export function manualSlot(id: string): string {
  return `manual:${id}`;
}

/** Slots a client may name in `POST /runs`: a schedule slot (to replay it) or a manual one. */
export const SLOT_PATTERN =
  /^(cron:\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z|manual:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
