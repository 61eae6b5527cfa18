/**
 * A run of archival-service as GET/POST /archival-service/runs put it on the wire (docs/contract.md): the
 * fields of the service's RunDto, as the archival-service and playground-e2e tests read them back
 * from JSON. Timestamps are ISO 8601 strings, null until the run starts or finishes.
 */
export interface RunJson {
  id: string;
  slot: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  startedAt: string | null;
  finishedAt: string | null;
  countriesArchived: number;
  error: string | null;
}
