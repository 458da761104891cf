import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { shanghaiDateOf } from '@coord/domain';
import { Policy } from '../auth/auth.decorators';
import { InputProblem } from '../http/problem-details';
import { AccessAuditQueryDto } from './access-audit.dto';
import { AccessAuditService, daysBetween, MAX_AUDIT_DAYS } from './access-audit.service';

@ApiTags('access-audit 访问留痕')
@ApiBearerAuth()
@Controller('api/access-audit')
export class AccessAuditController {
  constructor(private readonly audit: AccessAuditService) {}

  @Get()
  @Policy('access-audit.read')
  @ApiOperation({ summary: '访问留痕查询：谁在何时查阅了哪份案卷、导出、专报' })
  async list(@Query() q: AccessAuditQueryDto) {
    const today = shanghaiDateOf(new Date());
    const to = q.to ?? today;
    const from = q.from ?? shanghaiDateOf(new Date(Date.parse(`${to}T12:00:00+08:00`) - 30 * 86_400_000));
    if (from > to) throw new InputProblem(422, 'range-invalid', '起始日期不能晚于截止日期', [{ field: 'from', message: '晚于截止日期' }]);
    if (daysBetween(from, to) >= MAX_AUDIT_DAYS) throw new InputProblem(422, 'range-too-long', `一次最多查询 ${MAX_AUDIT_DAYS} 天`, [{ field: 'from', message: '时间跨度过长' }]);
    const records = await this.audit.query({ from, to, subject: q.subject, user: q.user });
    return { from, to, count: records.length, records };
  }
}
