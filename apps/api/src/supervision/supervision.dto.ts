import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { REVIEW_OUTCOMES, SUPERVISION_ORIGINS, type ReviewOutcome, type SupervisionOrigin } from '@coord/domain';
import { SUPERVISION_STATUSES, type SupervisionStatus } from '@coord/read-models';
import { PagedQueryDto } from '../http/read-query.dto';
import { IsAgencyCode, IsLocalDate } from '../http/validators';

export class OpenSupervisionItemDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) title!: string;
  @ApiProperty({ description: '承办单位' }) @IsAgencyCode() assigneeAgency!: string;
  @ApiProperty() @IsLocalDate() dueOn!: string;
  @ApiProperty({ enum: SUPERVISION_ORIGINS }) @IsIn(SUPERVISION_ORIGINS) origin!: SupervisionOrigin;
  @ApiPropertyOptional() @IsOptional() @IsUUID() caseId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() leadId?: string;
}

export class ProgressNoteDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(4000) note!: string;
}

export class ExtensionRequestDto {
  @ApiProperty() @IsLocalDate() newDueOn!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000) reason!: string;
}

export class ExtensionApprovalDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) comment?: string;
}

export class ExtensionRefusalDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000) reason!: string;
}

export class ResultDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(8000) summary!: string;
}

export class ReviewDto {
  @ApiProperty({ enum: REVIEW_OUTCOMES }) @IsIn(REVIEW_OUTCOMES) outcome!: ReviewOutcome;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(4000) comment!: string;
}

export class ListSupervisionQueryDto extends PagedQueryDto {
  @ApiPropertyOptional({ enum: SUPERVISION_STATUSES }) @IsOptional() @IsIn(SUPERVISION_STATUSES) status?: SupervisionStatus;
  @ApiPropertyOptional() @IsOptional() @IsAgencyCode() agency?: string;
}
