import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ReadQueryDto } from '../http/read-query.dto';
import { IsLocalDate } from '../http/validators';

const PRESET = /^\d{4}(-H[12])?$/;

export class PeriodicReportQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ description: '报告期：2026（年度）、2026-H1（上半年）、2026-H2（下半年）；与 from/to 二选一' })
  @IsOptional()
  @Matches(PRESET)
  preset?: string;

  @ApiPropertyOptional({ description: '起始日期（含）' }) @IsOptional() @IsLocalDate() from?: string;
  @ApiPropertyOptional({ description: '截止日期（含）' }) @IsOptional() @IsLocalDate() to?: string;
  @ApiPropertyOptional({ description: '数据截至日期（按业务日期），默认为报告期末或今天' }) @IsOptional() @IsLocalDate() asOf?: string;
}

export class IssuePeriodicReportDto {
  @ApiPropertyOptional({ description: '报告期：2026、2026-H1、2026-H2；与 from/to 二选一' })
  @IsOptional()
  @Matches(PRESET)
  preset?: string;

  @ApiPropertyOptional() @IsOptional() @IsLocalDate() from?: string;
  @ApiPropertyOptional() @IsOptional() @IsLocalDate() to?: string;
  @ApiPropertyOptional() @IsOptional() @IsLocalDate() asOf?: string;

  @ApiPropertyOptional({ description: '报告标题，默认如“县反腐败协调小组2026年上半年工作报告”' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  title?: string;
}
