import type { AuditEventType } from '../persistence/entities/audit-event.entity';

export type { AuditEventType };

/** Persistence port of the audit log: append only. */
export interface AuditEventRepository {
  /** Appends one event. `detail` holds ids and reasons only, never a secret or a token. */
  append(event: AuditEventType, clientId: string | null, detail: Record<string, unknown>): Promise<void>;
}

export const AUDIT_EVENT_REPOSITORY = Symbol('AUDIT_EVENT_REPOSITORY');
