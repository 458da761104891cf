import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** Every read accepts minPosition (read-your-writes): the response waits until the read model reached it. */
export class ReadQueryDto {
  @ApiPropertyOptional({ description: '等待读模型追上该全局位置（读己之写）' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  minPosition?: number;
}

export class PagedQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ default: 50, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  // bounded: an absurd offset must be a 400, not a database type error
  @ApiPropertyOptional({ default: 0, maximum: 10_000_000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  offset?: number;
}
