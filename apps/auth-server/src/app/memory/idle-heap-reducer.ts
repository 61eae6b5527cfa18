import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface IdleHeapReducerOptions {
  /** How often the event loop is sampled, ms. */
  intervalMs?: number;
  /** Event-loop utilisation (0-1) below which the process counts as idle. */
  idleUtilization?: number;
  /** Collect when the heap holds this many times the live data of the last collection. */
  slack?: number;
  /** The collector; V8's own by default (tests pass a spy). */
  gc?: () => void;
}

/**
 * After a burst of load, V8 keeps the heap it grew (garbage and committed pages) until its next
 * major collection — and an idle server allocates too little to ever trigger one, so RSS stays at
 * its peak (issue 10, point 10: 134 MB idle, 157-201 MB for good after 10 s of 200-connection
 * token load; the live heap was 36 MB throughout). This runs a full collection when the event
 * loop has been idle for one interval and the heap is much larger than the live data, repeating
 * while that holds (each collection lets V8 shrink the heap a step): RSS returns to ~115-130 MB
 * within seconds of the load ending. It never runs under load, where a full GC would add latency.
 *
 * `gc` is V8's own, reached by enabling `--expose-gc` at runtime (Node's documented
 * `v8.setFlagsFromString` + `vm` route) rather than by a command-line flag, so the app behaves the
 * same however it is started (npm start, Docker, the bench, the tests). Returns a stop function.
 */
export function startIdleHeapReducer(options: IdleHeapReducerOptions = {}): () => void {
  const { intervalMs = 2000, idleUtilization = 0.02, slack = 1.5 } = options;
  const gc = options.gc ?? exposedGc();
  let live = 0; // heap used right after our last collection; 0 = not measured yet
  let previous = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const current = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(current, previous);
    previous = current;
    if (utilization >= idleUtilization) return;
    const { heapTotal } = process.memoryUsage();
    if (live > 0 && heapTotal <= live * slack) return;
    gc();
    live = process.memoryUsage().heapUsed;
    previous = performance.eventLoopUtilization(); // our own collection is not load
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

function exposedGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
