import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { NOTIFICATION_KINDS, type NotificationKind } from '@coord/read-models';
import { PagedQueryDto } from '../http/read-query.dto';
import { IsAgencyCode } from '../http/validators';

export class NotificationsQueryDto extends PagedQueryDto {
  @ApiPropertyOptional({ description: '成员单位（仅协调小组办公室和审计角色可筛选；成员单位用户只看本单位）' })
  @IsOptional()
  @IsAgencyCode()
  agency?: string;

  @ApiPropertyOptional({ enum: NOTIFICATION_KINDS, description: 'reminder 催办 / escalation 升级督办' })
  @IsOptional()
  @IsIn(NOTIFICATION_KINDS)
  kind?: NotificationKind;
}
