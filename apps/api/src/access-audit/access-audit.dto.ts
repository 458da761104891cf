import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsLocalDate } from '../http/validators';

export class AccessAuditQueryDto {
  @ApiPropertyOptional({ description: '记录 id（如案件 id）或 kind:id（如 ledger:leads.xlsx）' }) @IsOptional() @IsString() @MaxLength(200) subject?: string;
  @ApiPropertyOptional({ description: '用户名' }) @IsOptional() @IsString() @Matches(/^[\w.-]{1,64}$/) user?: string;
  @ApiPropertyOptional({ description: '起始日期（含），默认 30 天前', example: '2026-01-01' }) @IsOptional() @IsLocalDate() from?: string;
  @ApiPropertyOptional({ description: '截止日期（含），默认今天', example: '2026-01-31' }) @IsOptional() @IsLocalDate() to?: string;
}
