import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateNested } from 'class-validator';
import { MEETING_KINDS, STATEMENT_POSITIONS, type MeetingKind, type StatementPosition } from '@coord/domain';
import { MEETING_STATUSES, type MeetingStatus } from '@coord/read-models';
import { PagedQueryDto } from '../http/read-query.dto';
import { IsAgencyCode, IsLocalDate } from '../http/validators';

export class ScheduleMeetingDto {
  @ApiProperty({ enum: MEETING_KINDS, description: 'regular 例会（每半年）/ special 专题会议' }) @IsIn(MEETING_KINDS) kind!: MeetingKind;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) title!: string;
  @ApiProperty({ description: '会议日期' }) @IsLocalDate() scheduledOn!: string;
  @ApiProperty({ description: '议题征集截止日期（此后提交的议题为临时动议）' }) @IsLocalDate() topicCutoffOn!: string;
}

export class SubmitTopicDto {
  @ApiProperty({ description: '提出议题的成员单位（成员单位用户只能是本单位）' }) @IsAgencyCode() agency!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) title!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(8000) summary!: string;
  @ApiPropertyOptional({ description: '截止后提交（临时动议）必须说明理由' }) @IsOptional() @IsString() @MaxLength(2000) justification?: string;
}

export class ConveneMeetingDto {
  @ApiProperty({ description: '实际召开日期（出席以该日成员为准）' }) @IsLocalDate() heldOn!: string;
  @ApiProperty({ type: [String], description: '出席的成员单位' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsAgencyCode({ each: true })
  attendees!: string[];
}

export class BriefLeadDto {
  @ApiProperty() @IsUUID() leadId!: string;
  @ApiProperty({ description: '通报线索的成员单位' }) @IsAgencyCode() agency!: string;
}

export class ActionItemDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) title!: string;
  @ApiProperty({ description: '承办单位' }) @IsAgencyCode() assigneeAgency!: string;
  @ApiProperty() @IsLocalDate() dueOn!: string;
}

export class ProposeDecisionDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(500) title!: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() topicId?: string;
  @ApiProperty({ type: [ActionItemDto], description: '决定通过后自动转为督办事项' })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ActionItemDto)
  actionItems!: ActionItemDto[];
}

export class StatementDto {
  @ApiProperty({ description: '表态的出席单位（成员单位用户只能是本单位；办公室可代为记录各单位表态）' }) @IsAgencyCode() agency!: string;
  @ApiProperty({ enum: STATEMENT_POSITIONS, description: 'agree 同意 / disagree 不同意 / defer 缓议' }) @IsIn(STATEMENT_POSITIONS) position!: StatementPosition;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000) reason!: string;
}

export class MinutesDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100_000) minutes!: string;
}

export class ListMeetingsQueryDto extends PagedQueryDto {
  @ApiPropertyOptional({ enum: MEETING_KINDS }) @IsOptional() @IsIn(MEETING_KINDS) kind?: MeetingKind;
  @ApiPropertyOptional({ enum: MEETING_STATUSES }) @IsOptional() @IsIn(MEETING_STATUSES) status?: MeetingStatus;
  @ApiPropertyOptional({ example: '2026-H1' }) @IsOptional() @Matches(/^\d{4}-H[12]$/) halfYear?: string;
  @ApiPropertyOptional({ description: '只看有临时动议的会议' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  lateTopics?: boolean;
}
