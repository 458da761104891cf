import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { shanghaiDateOf } from '@coord/domain';
import { Policy } from '../auth/auth.decorators';
import { ReadQueryDto } from '../http/read-query.dto';
import { IsLocalDate } from '../http/validators';
import { AgencyDirectory } from './agency-directory.service';

export class AgenciesQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ description: '按该日期的成员构成，默认今天' }) @IsOptional() @IsLocalDate() asOf?: string;
}

@ApiTags('agencies 成员单位')
@ApiBearerAuth()
@Controller('api/agencies')
export class AgenciesController {
  constructor(private readonly agencies: AgencyDirectory) {}

  @Get()
  @Policy('agency.list')
  @ApiOperation({ summary: '协调小组成员单位（可按日期查询当时的构成）' })
  async list(@Query() q: AgenciesQueryDto) {
    const asOf = q.asOf ?? shanghaiDateOf(new Date());
    return { asOf, items: await this.agencies.membersOn(asOf) };
  }
}
