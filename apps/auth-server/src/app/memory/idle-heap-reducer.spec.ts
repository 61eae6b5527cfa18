import { startIdleHeapReducer } from './idle-heap-reducer';

describe('startIdleHeapReducer', () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('collects once the event loop is idle, and not again while the heap stays near its live size', async () => {
    const gc = jest.fn();
    const stop = startIdleHeapReducer({ intervalMs: 50, gc, slack: 1000 });
    await sleep(400);
    stop();
    expect(gc).toHaveBeenCalledTimes(1); // the first idle tick measures; afterwards the heap is within slack
  });

  it('never collects while the event loop is busy', async () => {
    const gc = jest.fn();
    const stop = startIdleHeapReducer({ intervalMs: 50, gc });
    const until = Date.now() + 400;
    while (Date.now() < until) {
      // busy: ticks run late, with utilisation near 1
      await new Promise<void>((resolve) =>
        setImmediate(() => {
          const end = Date.now() + 20;
          while (Date.now() < end);
          resolve();
        }),
      );
    }
    stop();
    expect(gc).not.toHaveBeenCalled();
  });
});
