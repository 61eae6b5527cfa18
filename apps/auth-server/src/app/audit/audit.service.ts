import { Inject, Injectable, Logger } from '@nestjs/common';
import { AUDIT_EVENT_REPOSITORY, type AuditEventRepository, type AuditEventType } from './audit-event.repository.port';

/**
 * The audit log: token issued/revoked, client authentication failures, client administration.
 * Callers pass ids and reasons only, never a secret or a token. Writing it never fails the
 * request that caused it (the event is logged instead). The one writer of the audit log, except
 * the token issue, whose audit row is written by the same statement as the token (ADR 0006).
 */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);

  constructor(@Inject(AUDIT_EVENT_REPOSITORY) private readonly events: AuditEventRepository) {}

  async record(event: AuditEventType, clientId: string | null, detail: Record<string, unknown> = {}): Promise<void> {
    try {
      // A client id on a failed login is attacker-chosen: keep the row small.
      const id = clientId === null ? null : clientId.slice(0, 200);
      await this.events.append(event, id, detail);
    } catch (error) {
      this.logger.error(`could not write audit event ${event}: ${(error as Error).message}`);
    }
  }
}
