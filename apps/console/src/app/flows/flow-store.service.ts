import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { Subject } from 'rxjs';
import { CONSOLE_CONFIG, type ConsoleConfig } from '../config';
import { assembleFlow, type Flow } from './assemble-flow';
import type { ConsoleSpan } from './span';

/** What a scenario run recorded beside its spans (tokens decoded, steps, outcome). */
export type ScenarioRecord = Record<string, unknown> & { scenario: string };

interface TraceEntry {
  spans: Map<string, ConsoleSpan>;
  flow?: Flow; // assembled on demand, dropped when a span arrives
  scenario?: ScenarioRecord;
  lastSeenMs: number;
}

/**
 * Recent traces in memory, bounded two ways: at most `CONSOLE_MAX_FLOWS` traces (least recently
 * updated evicted first) and at most `CONSOLE_MAX_SPANS_PER_FLOW` spans in each (further spans
 * of a runaway trace are dropped). Nothing is persisted (docs/contract.md: the console owns nothing).
 * `updates` emits a trace id whenever that trace changes; the SSE stream listens to it.
 */
@Injectable()
export class FlowStore {
  private readonly traces: LRUCache<string, TraceEntry>;
  readonly updates = new Subject<string>();

  constructor(@Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig) {
    this.traces = new LRUCache({ max: config.CONSOLE_MAX_FLOWS });
  }

  add(spans: readonly ConsoleSpan[]): void {
    const touched = new Set<string>();
    for (const span of spans) {
      let entry = this.traces.get(span.traceId);
      if (!entry) {
        entry = { spans: new Map(), lastSeenMs: Date.now() };
        this.traces.set(span.traceId, entry);
      }
      if (entry.spans.size >= this.config.CONSOLE_MAX_SPANS_PER_FLOW && !entry.spans.has(span.spanId)) continue;
      entry.spans.set(span.spanId, span);
      entry.flow = undefined;
      entry.lastSeenMs = Date.now();
      touched.add(span.traceId);
    }
    for (const traceId of touched) this.updates.next(traceId);
  }

  /** Attaches what a scenario run learned (decoded tokens, steps) to its trace. */
  attachScenario(traceId: string, record: ScenarioRecord): void {
    let entry = this.traces.get(traceId);
    if (!entry) {
      entry = { spans: new Map(), lastSeenMs: Date.now() };
      this.traces.set(traceId, entry);
    }
    entry.scenario = record;
    this.updates.next(traceId);
  }

  flow(traceId: string): Flow | undefined {
    const entry = this.traces.peek(traceId);
    if (!entry) return undefined;
    entry.flow ??= assembleFlow(traceId, [...entry.spans.values()]);
    return entry.flow;
  }

  scenario(traceId: string): ScenarioRecord | undefined {
    return this.traces.peek(traceId)?.scenario;
  }

  /** Flows, newest (latest start) first. */
  recent(limit: number, includeBackground = true): Flow[] {
    const flows: Flow[] = [];
    for (const traceId of this.traces.keys()) {
      const flow = this.flow(traceId);
      if (flow && (includeBackground || !flow.background)) flows.push(flow);
    }
    flows.sort((a, b) => b.startedAt.localeCompare(a.startedAt) || a.traceId.localeCompare(b.traceId));
    return flows.slice(0, limit);
  }

  get size(): number {
    return this.traces.size;
  }
}
