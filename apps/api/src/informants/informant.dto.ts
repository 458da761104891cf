import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { IsLocalDate } from '../http/validators';

export class GrantInformantAccessDto {
  @ApiProperty({ description: '被授权的办公室用户名' }) @IsString() @Matches(/^[\w.-]{1,64}$/) username!: string;
  @ApiPropertyOptional({ description: '仅限此线索；不填为全部线索' }) @IsOptional() @IsUUID() leadId?: string;
  @ApiProperty({ description: '授权理由' }) @IsString() @IsNotEmpty() @MaxLength(500) reason!: string;
  @ApiProperty({ description: '授权截止日期（含当日）', example: '2026-12-31' }) @IsLocalDate() until!: string;
}

export class ReasonDto {
  @ApiProperty({ description: '理由（必填，记入全程记录）' }) @IsString() @IsNotEmpty() @MaxLength(500) reason!: string;
}

/** GET /api/leads/{id}/informant?reason=… — a disclosure without a stated purpose is refused. */
export class InformantReadQueryDto {
  @ApiProperty({ description: '查阅理由（必填，记入查阅记录）' }) @IsString() @IsNotEmpty() @MaxLength(500) reason!: string;
}
