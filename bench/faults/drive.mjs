/**
 * Closed-loop load with a record of every answer: `connections` workers each send a request, wait
 * for the answer, send the next. Unlike autocannon's totals, every response is kept with its
 * time, so the fault suite can say what was answered before, during and after a fault.
 */
export function drive({ connections, request, onResponse }) {
  let running = true;
  const workers = Array.from({ length: connections }, async (_, worker) => {
    for (let i = 0; running; i++) {
      const { url, init } = request(worker, i);
      const sentAt = Date.now();
      try {
        const response = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
        const text = await response.text();
        onResponse({ status: response.status, headers: response.headers, text, sentAt, at: Date.now() });
      } catch (error) {
        onResponse({ status: 0, error, sentAt, at: Date.now() });
        await new Promise((resolve) => setTimeout(resolve, 20)); // connection refused: do not spin
      }
    }
  });
  return { stop: async () => ((running = false), await Promise.all(workers)) };
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns true; the elapsed ms, or undefined after `timeoutMs`. */
export async function waitFor(probe, { timeoutMs = 15_000, everyMs = 100 } = {}) {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (await probe()) return Date.now() - start;
    await sleep(everyMs);
  }
  return undefined;
}
