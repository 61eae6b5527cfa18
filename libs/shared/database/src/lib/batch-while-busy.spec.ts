import { AsyncLocalStorage } from 'node:async_hooks';
import { batchWhileBusy, firstOccurrences } from './batch-while-busy';

/** A batch function whose batches end when the test says so. */
function controlledBackEnd() {
  const batches: Array<{ keys: readonly number[]; end: (error?: Error) => void }> = [];
  const batch = (keys: readonly number[]) =>
    new Promise<number[]>((resolve, reject) => {
      batches.push({ keys, end: (error) => (error ? reject(error) : resolve(keys.map((k) => k * 10))) });
    });
  return { batches, batch };
}
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('batchWhileBusy', () => {
  it('sends a key alone at once when nothing runs, and collects the keys that arrive while batches run', async () => {
    const backEnd = controlledBackEnd();
    const loader = batchWhileBusy(backEnd.batch, { name: 't', maxBatchSize: 100, maxInFlight: 1 });

    const first = loader.load(1);
    await tick();
    expect(backEnd.batches.map((b) => b.keys)).toEqual([[1]]);

    const waiting = [2, 3, 4].map((k) => loader.load(k));
    await tick();
    expect(backEnd.batches).toHaveLength(1); // the one in flight is not joined, nor a second started

    backEnd.batches[0].end();
    expect(await first).toBe(10);
    await tick();
    expect(backEnd.batches.map((b) => b.keys)).toEqual([[1], [2, 3, 4]]);
    backEnd.batches[1].end();
    expect(await Promise.all(waiting)).toEqual([20, 30, 40]);
  });

  it('runs at most maxInFlight batches of at most maxBatchSize keys', async () => {
    const backEnd = controlledBackEnd();
    const loader = batchWhileBusy(backEnd.batch, { name: 't', maxBatchSize: 2, maxInFlight: 2 });
    const all = [1, 2, 3, 4, 5, 6, 7].map((k) => loader.load(k));
    await tick();
    expect(backEnd.batches.map((b) => b.keys)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    backEnd.batches[1].end();
    await tick();
    expect(backEnd.batches.map((b) => b.keys)).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    backEnd.batches[0].end();
    backEnd.batches[2].end();
    await tick();
    backEnd.batches[3].end();
    expect(await Promise.all(all)).toEqual([10, 20, 30, 40, 50, 60, 70]);
  });

  it('rejects every caller of a failed batch, and carries on with the next', async () => {
    const backEnd = controlledBackEnd();
    const loader = batchWhileBusy(backEnd.batch, { name: 't', maxBatchSize: 10, maxInFlight: 1 });
    const failing = [1, 2, 3].map((k) => loader.load(k));
    await tick();
    backEnd.batches[0].end(new Error('Connection terminated unexpectedly'));
    const settled = await Promise.allSettled(failing);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
    const next = loader.load(4);
    await tick();
    backEnd.batches[1].end();
    expect(await next).toBe(40);
  });

  it('gives each caller its own answer, an Error failing only its own caller', async () => {
    const loader = batchWhileBusy(async (keys: readonly number[]) => keys.map((k) => (k === 2 ? new Error('not this one') : k)), {
      name: 't',
      maxBatchSize: 10,
      maxInFlight: 1,
    });
    const settled = await Promise.allSettled([1, 2, 3, 2].map((k) => loader.load(k)));
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : 'rejected'))).toEqual([1, 'rejected', 3, 'rejected']);
  });

  it('runs each batch in the async context (request, trace) of its own first caller', async () => {
    const request = new AsyncLocalStorage<string>();
    const seen: Array<string | undefined> = [];
    const backEnd = controlledBackEnd();
    const loader = batchWhileBusy(
      (keys: readonly number[]) => {
        seen.push(request.getStore());
        return backEnd.batch(keys);
      },
      { name: 't', maxBatchSize: 10, maxInFlight: 1 },
    );
    const first = request.run('request A', () => loader.load(1));
    await tick();
    const second = request.run('request B', () => loader.load(2));
    const third = request.run('request C', () => loader.load(3));
    await tick();
    backEnd.batches[0].end();
    await first;
    await tick();
    backEnd.batches[1].end();
    await Promise.all([second, third]);
    expect(seen).toEqual(['request A', 'request B']);
  });
});

describe('firstOccurrences', () => {
  it('keeps the first key of each id, in order, and marks the repeats', () => {
    const keys = [{ jti: 'a' }, { jti: 'b' }, { jti: 'a' }, { jti: 'c' }, { jti: 'b' }];
    const { unique, isFirst } = firstOccurrences(keys, (key) => key.jti);
    expect(unique).toEqual([keys[0], keys[1], keys[3]]);
    expect(unique[0]).toBe(keys[0]);
    expect(isFirst).toEqual([true, true, false, true, false]);
  });
});
