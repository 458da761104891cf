import { ApiPropertyOptional } from '@nestjs/swagger';
import { IMPORT_KINDS, type ImportKind } from '@coord/domain';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PagedQueryDto, ReadQueryDto } from '../http/read-query.dto';
import { IsLocalDate } from '../http/validators';

export class ImportQueryDto {
  @ApiPropertyOptional({ enum: IMPORT_KINDS, description: 'CSV 必填；XLSX 可省略（按工作表名“线索”“案件”“挽损”识别）' })
  @IsOptional()
  @IsIn(IMPORT_KINDS)
  kind?: ImportKind;

  @ApiPropertyOptional({ description: '原文件名（记入导入清单）' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  fileName?: string;
}

export class ExportQueryDto extends ReadQueryDto {}

export class AsOfLedgerQueryDto extends PagedQueryDto {
  @ApiPropertyOptional({ description: '截至日期（按业务日期从事件回溯），默认今天' }) @IsOptional() @IsLocalDate() asOf?: string;
}
