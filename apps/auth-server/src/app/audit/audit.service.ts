import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AuditEventEntity, type AuditEventType } from '../persistence/entities';

/**
 * The audit log: token issued/revoked, client authentication failures, client administration.
 * Callers pass ids and reasons only, never a secret or a token. Writing it never fails the
 * request that caused it (the event is logged instead).
 */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);

  constructor(@InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>) {}

  async record(event: AuditEventType, clientId: string | null, detail: Record<string, unknown> = {}): Promise<void> {
    try {
      // A client id on a failed login is attacker-chosen: keep the row small.
      const id = clientId === null ? null : clientId.slice(0, 200);
      await this.events.save(this.events.create({ event, clientId: id, detail }), { reload: false });
    } catch (error) {
      this.logger.error(`could not write audit event ${event}: ${(error as Error).message}`);
    }
  }
}
