import { InMemoryDpopReplayCache } from './dpop-replay-cache';

describe('InMemoryDpopReplayCache (RFC 9449 §11.1, one instance)', () => {
  it('answers true the first time a proof key is seen, false for every replay', async () => {
    const cache = new InMemoryDpopReplayCache();
    const staleAt = Math.floor(Date.now() / 1000) + 60;
    await expect(cache.firstUse('k1', staleAt)).resolves.toBe(true);
    await expect(cache.firstUse('k1', staleAt)).resolves.toBe(false);
    await expect(cache.firstUse('k2', staleAt)).resolves.toBe(true);
  });

  it('stays bounded: the oldest keys go first when full', async () => {
    const cache = new InMemoryDpopReplayCache(2);
    const staleAt = Math.floor(Date.now() / 1000) + 60;
    for (const key of ['a', 'b', 'c']) await cache.firstUse(key, staleAt);
    await expect(cache.firstUse('a', staleAt)).resolves.toBe(true);
    await expect(cache.firstUse('c', staleAt)).resolves.toBe(false);
  });
});
