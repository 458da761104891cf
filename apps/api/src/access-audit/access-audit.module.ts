import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AccessAuditController } from './access-audit.controller';
import { AccessAuditInterceptor } from './access-audit.interceptor';
import { AccessAuditService } from './access-audit.service';

@Module({
  controllers: [AccessAuditController],
  providers: [AccessAuditService, { provide: APP_INTERCEPTOR, useClass: AccessAuditInterceptor }],
})
export class AccessAuditModule {}
