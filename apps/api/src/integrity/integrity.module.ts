import { Module } from '@nestjs/common';
import { IntegrityController } from './integrity.controller';
import { IntegrityService } from './integrity.service';

/** Tamper-evident history (docs/security-integrity.md): checkpoints and GET /api/integrity. */
@Module({
  controllers: [IntegrityController],
  providers: [IntegrityService],
})
export class IntegrityModule {}
