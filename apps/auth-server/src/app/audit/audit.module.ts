import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEventEntity } from '../persistence/entities';
import { TypeOrmAuditEventRepository } from './audit-event.repository';
import { AUDIT_EVENT_REPOSITORY } from './audit-event.repository.port';
import { AuditService } from './audit.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEventEntity])],
  providers: [{ provide: AUDIT_EVENT_REPOSITORY, useClass: TypeOrmAuditEventRepository }, AuditService],
  exports: [AuditService],
})
export class AuditModule {}
