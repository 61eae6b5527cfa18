// newman ships no types; the part of its Node API the Postman test uses.
declare module 'newman' {
  export interface NewmanRunSummary {
    run: {
      stats: { requests: { total: number; failed: number }; assertions: { total: number; failed: number } };
      failures: { error: { name: string; message: string; test?: string }; source?: { name?: string } }[];
    };
  }
  export function run(
    options: {
      collection: unknown;
      environment?: unknown;
      envVar?: { key: string; value: string }[];
      reporters?: string[];
      timeoutRequest?: number;
    },
    callback: (error: Error | null, summary: NewmanRunSummary) => void,
  ): void;
}
