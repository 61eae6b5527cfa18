import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AuditEventEntity } from '../persistence/entities';
import type { AuditEventRepository, AuditEventType } from './audit-event.repository.port';

/** The audit log in the `audit_events` table (TypeORM adapter of AuditEventRepository). */
@Injectable()
export class TypeOrmAuditEventRepository implements AuditEventRepository {
  constructor(@InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>) {}

  async append(event: AuditEventType, clientId: string | null, detail: Record<string, unknown>): Promise<void> {
    await this.events.save(this.events.create({ event, clientId, detail }), { reload: false });
  }
}
