import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PagedQueryDto, ReadQueryDto } from '../http/read-query.dto';
import { IsAgencyCode, IsLocalDate } from '../http/validators';

export const RECOVERY_GROUPINGS = ['agency', 'year', 'quarter', 'category', 'case'] as const;

export class RecoveredLossesQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ enum: RECOVERY_GROUPINGS, default: 'agency' }) @IsOptional() @IsIn(RECOVERY_GROUPINGS) groupBy?: (typeof RECOVERY_GROUPINGS)[number];
  @ApiPropertyOptional({ description: '起始日期（含）' }) @IsOptional() @IsLocalDate() from?: string;
  @ApiPropertyOptional({ description: '截止日期（含）' }) @IsOptional() @IsLocalDate() to?: string;
  @ApiPropertyOptional({ description: '截至某日（按业务日期从事件回溯：该日及以前的挽损与更正）' }) @IsOptional() @IsLocalDate() asOf?: string;
}

/** paged (limit/offset, most overdue first); every page carries the total and the counts by kind and by agency */
export class OverdueQueryDto extends PagedQueryDto {
  @ApiPropertyOptional({ description: '截至日期，默认今天（北京时间）' }) @IsOptional() @IsLocalDate() asOf?: string;
  @ApiPropertyOptional() @IsOptional() @IsAgencyCode() agency?: string;
}
