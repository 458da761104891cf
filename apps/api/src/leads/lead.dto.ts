import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { DISPOSITION_METHODS, LEAD_SOURCES, type DispositionMethod, type LeadSource } from '@coord/domain';
import { LEAD_STATUSES, type LeadStatus } from '@coord/read-models';
import { PagedQueryDto } from '../http/read-query.dto';
import { IsAgencyCode, IsLocalDate } from '../http/validators';

export class SubjectDto {
  @ApiProperty({ description: '被反映人姓名' }) @IsString() @IsNotEmpty() @MaxLength(100) name!: string;
  @ApiProperty({ description: '职务' }) @IsString() @IsNotEmpty() @MaxLength(200) post!: string;
  @ApiProperty({ description: '单位' }) @IsString() @IsNotEmpty() @MaxLength(200) unit!: string;
  @ApiPropertyOptional({ description: '职级' }) @IsOptional() @IsString() @MaxLength(100) rank?: string;
}

/** Confidential: accepted here, kept only in the event's confidential part, never returned. */
export class InformantDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) name!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) contact!: string;
}

export class RegisterLeadDto {
  @ApiProperty({ enum: LEAD_SOURCES }) @IsIn(LEAD_SOURCES) source!: LeadSource;
  @ApiProperty({ example: 'audit-bureau' }) @IsAgencyCode() reportingAgency!: string;
  @ApiProperty({ type: SubjectDto }) @IsObject() @ValidateNested() @Type(() => SubjectDto) subject!: SubjectDto;
  @ApiProperty({ description: '反映问题摘要' }) @IsString() @IsNotEmpty() @MaxLength(4000) allegation!: string;
  @ApiPropertyOptional({ description: '问题类别' }) @IsOptional() @IsString() @MaxLength(100) category?: string;
  @ApiProperty({ example: '2026-11-20' }) @IsLocalDate() receivedOn!: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() important?: boolean;
  @ApiPropertyOptional({ type: InformantDto, description: '举报人（保密，绝不返回）' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => InformantDto)
  informant?: InformantDto;
}

export class TransferLeadDto {
  @ApiProperty() @IsAgencyCode() toAgency!: string;
  @ApiProperty({ description: '移送函文号' }) @IsString() @IsNotEmpty() @MaxLength(100) letterNo!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000) reason!: string;
}

export class ReturnTransferDto {
  @ApiProperty({ description: '退回理由' }) @IsString() @IsNotEmpty() @MaxLength(2000) reason!: string;
}

export class DispositionDto {
  @ApiProperty({ enum: DISPOSITION_METHODS }) @IsIn(DISPOSITION_METHODS) method!: DispositionMethod;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(4000) rationale!: string;
}

export class ConcludeDispositionDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(4000) conclusion!: string;
}

export class ListLeadsQueryDto extends PagedQueryDto {
  @ApiPropertyOptional({ enum: LEAD_STATUSES }) @IsOptional() @IsIn(LEAD_STATUSES) status?: LeadStatus;
  @ApiPropertyOptional({ description: '持有或涉及的单位' }) @IsOptional() @IsAgencyCode() agency?: string;
  @ApiPropertyOptional({ enum: LEAD_SOURCES }) @IsOptional() @IsIn(LEAD_SOURCES) source?: LeadSource;
  /** keyset paging: the registeredPosition of the previous page's last row (the next page starts after it) */
  @ApiPropertyOptional({ description: '上一页最后一条的 registeredPosition（按登记倒序翻页，代替 offset）' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  before?: number;
}
