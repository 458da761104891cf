import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { MAX_SECTION_LENGTH, MAX_TITLE_LENGTH } from '@coord/domain';
import { PagedQueryDto } from '../http/read-query.dto';

const SECTION = { description: '纯文本，段落以换行分隔', maxLength: MAX_SECTION_LENGTH };

/** The sections of a 《案情专报》; in an edit, only the ones given change. */
export class BulletinSectionsDto {
  @ApiPropertyOptional({ ...SECTION, description: '一、基本情况（人员及职务）' }) @IsOptional() @IsString() @MaxLength(MAX_SECTION_LENGTH) subject?: string;
  @ApiPropertyOptional({ ...SECTION, description: '二、线索来源' }) @IsOptional() @IsString() @MaxLength(MAX_SECTION_LENGTH) source?: string;
  @ApiPropertyOptional({ ...SECTION, description: '三、反映的主要问题' }) @IsOptional() @IsString() @MaxLength(MAX_SECTION_LENGTH) allegations?: string;
  @ApiPropertyOptional({ ...SECTION, description: '四、处置及审批情况' }) @IsOptional() @IsString() @MaxLength(MAX_SECTION_LENGTH) disposition?: string;
  @ApiPropertyOptional({ ...SECTION, description: '五、查明的事实' }) @IsOptional() @IsString() @MaxLength(MAX_SECTION_LENGTH) facts?: string;
  @ApiPropertyOptional({ ...SECTION, description: '六、采取的措施' }) @IsOptional() @IsString() @MaxLength(MAX_SECTION_LENGTH) measures?: string;
  @ApiPropertyOptional({ ...SECTION, description: '七、处理处分情况' }) @IsOptional() @IsString() @MaxLength(MAX_SECTION_LENGTH) sanctions?: string;
  @ApiPropertyOptional({ ...SECTION, description: '八、挽回经济损失' }) @IsOptional() @IsString() @MaxLength(MAX_SECTION_LENGTH) recovered?: string;
  @ApiPropertyOptional({ ...SECTION, description: '九、下一步工作' }) @IsOptional() @IsString() @MaxLength(MAX_SECTION_LENGTH) nextSteps?: string;
}

/** 拟稿: the text is assembled from the case; a title or next steps may be given up front. */
export class DraftBulletinDto {
  @ApiPropertyOptional({ maxLength: MAX_TITLE_LENGTH }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(MAX_TITLE_LENGTH) title?: string;
  @ApiPropertyOptional({ description: '九、下一步工作（默认由系统拟写，可修改）' }) @IsOptional() @IsString() @MaxLength(MAX_SECTION_LENGTH) nextSteps?: string;
}

/** 修改草稿 (send If-Match with the version you edited). */
export class ReviseBulletinDto {
  @ApiPropertyOptional({ maxLength: MAX_TITLE_LENGTH }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(MAX_TITLE_LENGTH) title?: string;
  @ApiPropertyOptional({ type: BulletinSectionsDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => BulletinSectionsDto) sections?: BulletinSectionsDto;
}

/** 签发 */
export class ApproveBulletinDto {
  @ApiPropertyOptional({ description: '所阅的稿次；稿件已被修改时拒绝签发' }) @IsOptional() @IsInt() @Min(1) revision?: number;
  @ApiPropertyOptional({ description: '签发人姓名（印在版头），默认用户名', maxLength: 50 }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(50) signerName?: string;
  @ApiPropertyOptional({ description: '签发意见', maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) opinion?: string;
}

export class DistributionDto {
  @ApiProperty({ type: [String], description: '主送', example: ['县委'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(100, { each: true })
  mainTo!: string[];

  @ApiPropertyOptional({ type: [String], description: '抄送', example: ['县人大常委会', '县政府'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(100, { each: true })
  copyTo?: string[];
}

/** 印发: takes the next 〔year〕第n期 number. */
export class IssueBulletinDto {
  @ApiProperty({ type: DistributionDto }) @IsObject() @ValidateNested() @Type(() => DistributionDto) distribution!: DistributionDto;
  @ApiPropertyOptional({ description: '发文机关（版头红字），默认“XX县反腐败协调小组”', maxLength: 60 }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(60) issuer?: string;
}

/** 更正: a new bulletin referring to an issued one. */
export class CorrectBulletinDto {
  @ApiProperty({ maxLength: 2000 }) @IsString() @IsNotEmpty() @MaxLength(2000) reason!: string;
  @ApiPropertyOptional({ maxLength: MAX_TITLE_LENGTH, description: '默认为原标题加“（更正）”' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(MAX_TITLE_LENGTH) title?: string;
  @ApiPropertyOptional({ type: BulletinSectionsDto, description: '更正后的部分（其余沿用原文）' }) @IsOptional() @IsObject() @ValidateNested() @Type(() => BulletinSectionsDto) sections?: BulletinSectionsDto;
}

export class ListBulletinsQueryDto extends PagedQueryDto {
  @ApiPropertyOptional({ description: '印发年度（专报登记簿）' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1000) @Max(9999) year?: number;
  @ApiPropertyOptional({ enum: ['draft', 'approved', 'issued'] }) @IsOptional() @IsIn(['draft', 'approved', 'issued']) status?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() caseId?: string;
}
