import { AsyncResource } from 'node:async_hooks';
import DataLoader from 'dataloader';

export interface BatchWhileBusyOptions {
  /** Most keys in one batch (one statement); a fuller batch starts the next one. */
  maxBatchSize: number;
  /** Most batches running at once; further batches wait, collecting keys, until one ends. */
  maxInFlight: number;
  /** Shown by APM tools (DataLoader's `name`). */
  name: string;
}

/**
 * A DataLoader (graphql/dataloader) that batches only while the back end is busy, for group
 * commit and batched reads in the application:
 *
 * - idle: a key is dispatched on the next tick, alone (no added latency beyond one tick);
 * - busy (`maxInFlight` batches running): keys collect in the next batch, up to
 *   `maxBatchSize`, which is dispatched as soon as a running batch ends.
 *
 * So the batch size follows the load: one statement carries what arrived during the previous
 * statement's round trip. No caching (`cache: false`): every `load()` is its own key and gets
 * its own answer, even for equal keys.
 *
 * `batch(keys)` resolves to one value or Error per key, in key order (an Error fails only that
 * key's caller); if it rejects, every caller in the batch is rejected with that error. A batch
 * runs in the async context (trace span) of its first caller.
 */
export function batchWhileBusy<K, V>(
  batch: (keys: readonly K[]) => Promise<ReadonlyArray<V | Error>>,
  options: BatchWhileBusyOptions,
): DataLoader<K, V> {
  let running = 0;
  let started = 0;
  const waiting: Array<() => void> = [];

  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  // `dispatch` runs DataLoader's dispatchBatch, which calls the batch function synchronously;
  // a slot whose dispatch did not start a batch (no keys) is handed on at once.
  const runInSlot = (dispatch: () => void): void => {
    const before = started;
    dispatch();
    if (started === before) release();
  };

  return new DataLoader<K, V>(
    async (keys) => {
      started++;
      try {
        return await batch(keys);
      } finally {
        release();
      }
    },
    {
      cache: false,
      maxBatchSize: options.maxBatchSize,
      name: options.name,
      batchScheduleFn: (dispatch) => {
        if (running < options.maxInFlight) {
          running++;
          // Not synchronously: DataLoader adds the first key after scheduling its batch.
          process.nextTick(runInSlot, dispatch);
        } else {
          // Bound to the context of the batch's first caller (DataLoader schedules a batch inside
          // its first load()), not of the batch whose end releases it: the statement's trace span
          // then belongs to a request of its own batch.
          waiting.push(AsyncResource.bind(() => runInSlot(dispatch)));
        }
      },
    },
  );
}

/**
 * For batches of single-use values (an assertion's `jti`, a DPoP proof): the keys without repeats
 * (the same `idOf`), in order, and for every key of the batch whether it is the first of its id.
 * A statement must not write one row twice (Postgres refuses `ON CONFLICT DO UPDATE` on a row it
 * already touched), and a repeat within one batch is a replay of the first.
 */
export function firstOccurrences<K>(keys: readonly K[], idOf: (key: K) => string): { unique: K[]; isFirst: boolean[] } {
  const seen = new Set<string>();
  const isFirst = keys.map((key) => {
    const id = idOf(key);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return { unique: keys.filter((_, i) => isFirst[i]), isFirst };
}
