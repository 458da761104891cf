import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { MAX_RECOVERY_FEN, PROGRESS_STAGES, RECOVERY_CATEGORIES, SANCTION_KINDS, type ProgressStage, type RecoveryCategory, type SanctionKind } from '@coord/domain';
import { PagedQueryDto } from '../http/read-query.dto';
import { IsAgencyCode, IsLocalDate, IsSafeInteger } from '../http/validators';

export class FileCaseDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) title!: string;
  @ApiProperty({ type: [String] }) @IsArray() @ArrayNotEmpty() @ArrayMaxSize(50) @ArrayUnique() @IsUUID('all', { each: true }) leadIds!: string[];
  @ApiProperty({ description: '主办单位' }) @IsAgencyCode() leadAgency!: string;
  @ApiProperty({ type: [String], description: '协办单位' }) @IsArray() @ArrayMaxSize(20) @ArrayUnique() @IsAgencyCode({ each: true }) coAgencies!: string[];
  @ApiProperty() @IsLocalDate() filedOn!: string;
  @ApiPropertyOptional({ description: '重大' }) @IsOptional() @IsBoolean() major?: boolean;
  @ApiPropertyOptional({ description: '疑难' }) @IsOptional() @IsBoolean() difficult?: boolean;
}

export class ProgressReportDto {
  @ApiProperty({ enum: PROGRESS_STAGES }) @IsIn(PROGRESS_STAGES) stage!: ProgressStage;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(8000) summary!: string;
  @ApiProperty() @IsLocalDate() reportedOn!: string;
}

export class RecoveryDto {
  @ApiProperty({ description: '金额（分，正整数，单笔不超过 100 亿元）', example: 1250000, maximum: MAX_RECOVERY_FEN }) @IsSafeInteger() @Min(1) @Max(MAX_RECOVERY_FEN) amountFen!: number;
  @ApiProperty({ enum: RECOVERY_CATEGORIES }) @IsIn(RECOVERY_CATEGORIES) category!: RecoveryCategory;
  @ApiProperty() @IsAgencyCode() agency!: string;
  @ApiProperty() @IsLocalDate() recoveredOn!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class RecoveryCorrectionDto {
  @ApiProperty({ description: '更正后的金额（分，非负整数）', maximum: MAX_RECOVERY_FEN }) @IsSafeInteger() @Min(0) @Max(MAX_RECOVERY_FEN) correctedAmountFen!: number;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000) reason!: string;
}

export class SanctionDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) personName!: string;
  @ApiProperty({ enum: SANCTION_KINDS }) @IsIn(SANCTION_KINDS) kind!: SanctionKind;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(60) level?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) measure?: string;
  @ApiProperty() @IsLocalDate() decidedOn!: string;
}

export class JudicialTransferDto {
  @ApiProperty({ example: 'procuratorate' }) @IsAgencyCode() toAgency!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(4000) summary!: string;
  @ApiProperty() @IsLocalDate() transferredOn!: string;
}

export class CourtResultDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(4000) result!: string;
  @ApiProperty() @IsLocalDate() decidedOn!: string;
}

export class CloseCaseDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(8000) summary!: string;
  @ApiProperty() @IsLocalDate() closedOn!: string;
}

export class CaseFlagsDto {
  @ApiProperty() @IsBoolean() major!: boolean;
  @ApiProperty() @IsBoolean() difficult!: boolean;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000) reason!: string;
}

export class ListCasesQueryDto extends PagedQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'closed'] }) @IsOptional() @IsIn(['open', 'closed']) status?: 'open' | 'closed';
  @ApiPropertyOptional() @IsOptional() @IsAgencyCode() agency?: string;
}
