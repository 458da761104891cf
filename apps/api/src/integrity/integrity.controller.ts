import { Controller, Get, Header, NotImplementedException } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Policy } from '../auth/auth.decorators';
import { IntegrityService } from './integrity.service';

@ApiTags('integrity 历史完整性')
@ApiBearerAuth()
@Controller('api/integrity')
export class IntegrityController {
  constructor(private readonly integrity: IntegrityService) {}

  /**
   * Re-walks the whole event log (streaming; memory bounded by one page) and answers the first broken
   * link, or "intact up to N, last signed checkpoint at M". The same check as `npm run verify`.
   */
  @Get()
  @Policy('integrity.verify')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '校验事件日志的哈希链与签名检查点，报告第一处断链' })
  async verify() {
    if (!this.integrity.available) throw new NotImplementedException('KurrentDB 事件存储不提供哈希链校验');
    const report = await this.integrity.verify();
    return { ...report, publicKey: this.integrity.publicKey() };
  }
}
