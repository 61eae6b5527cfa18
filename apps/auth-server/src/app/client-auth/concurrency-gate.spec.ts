import { TemporarilyUnavailableError } from '@playground/oauth-contracts';
import { ConcurrencyGate } from './concurrency-gate';

describe('ConcurrencyGate (bounded argon2 concurrency, ADR 0007)', () => {
  const deferred = () => {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  };

  it('runs at most `limit` tasks at once, queues up to `maxWaiting`, refuses the rest with 503', async () => {
    const gate = new ConcurrencyGate(2, 1);
    const blockers = [deferred(), deferred(), deferred()];
    let peak = 0;
    const task = (d: { promise: Promise<void> }) =>
      gate.run(async () => {
        peak = Math.max(peak, gate.load.running);
        await d.promise;
        return 'done';
      });
    const running = blockers.map(task);
    await Promise.resolve();
    expect(gate.load).toEqual({ running: 2, waiting: 1 });
    const refused = await gate.run(async () => 'x').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TemporarilyUnavailableError);
    expect(refused).toMatchObject({ status: 503, retryAfterSeconds: 1 });
    blockers.forEach((b) => b.resolve());
    await expect(Promise.all(running)).resolves.toEqual(['done', 'done', 'done']);
    expect(peak).toBe(2);
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });

  it('frees the slot when a task throws', async () => {
    const gate = new ConcurrencyGate(1, 0);
    await expect(gate.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.run(async () => 'ok')).resolves.toBe('ok');
  });
});
