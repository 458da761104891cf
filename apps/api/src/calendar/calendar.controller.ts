import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { calendarDecider, DomainError, isLocalDate, streams, type CalendarCommand } from '@coord/domain';
import { CommandHandler } from '@coord/event-store';
import { Policy } from '../auth/auth.decorators';
import { CommandMeta, type HttpCommandMeta } from '../http/command-context';
import { commandResponse } from '../http/command-response';
import { ReadQueryDto } from '../http/read-query.dto';
import { CalendarService } from './calendar.service';

export class CalendarQueryDto extends ReadQueryDto {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year?: number;
}

export class DeclareDayDto {
  @ApiProperty({ enum: ['holiday', 'working-day'], description: '节假日 / 调休工作日' }) @IsIn(['holiday', 'working-day']) kind!: 'holiday' | 'working-day';
  @ApiProperty({ example: '国庆节' }) @IsString() @IsNotEmpty() @MaxLength(50) name!: string;
}

@ApiTags('calendar 工作日历')
@ApiBearerAuth()
@Controller('api/calendar')
export class CalendarController {
  constructor(
    private readonly calendar: CalendarService,
    private readonly handler: CommandHandler,
  ) {}

  @Get('days')
  @Policy('calendar.read')
  @ApiOperation({ summary: '已设定的节假日和调休工作日（其余按周一至周五）' })
  async days(@Query() q: CalendarQueryDto) {
    return { items: await this.calendar.declaredDays(q.year) };
  }

  @Put('days/:date')
  @HttpCode(200)
  @Policy('calendar.write')
  async declare(@Param('date') date: string, @Body() b: DeclareDayDto, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const command: CalendarCommand =
      b.kind === 'holiday' ? { type: 'DeclareHoliday', date: checked(date), name: b.name, ctx: meta.ctx } : { type: 'DeclareWorkingDay', date: checked(date), name: b.name, ctx: meta.ctx };
    return commandResponse(reply, await this.handler.handle(calendarDecider, streams.calendar(), command, meta, { ifMatch: meta.ifMatch, retryOnConflict: meta.ifMatch === undefined ? 5 : 0 }), { date });
  }

  @Delete('days/:date')
  @HttpCode(200)
  @Policy('calendar.write')
  async clear(@Param('date') date: string, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const command: CalendarCommand = { type: 'ClearCalendarDay', date: checked(date), ctx: meta.ctx };
    return commandResponse(reply, await this.handler.handle(calendarDecider, streams.calendar(), command, meta, { ifMatch: meta.ifMatch, retryOnConflict: meta.ifMatch === undefined ? 5 : 0 }), { date });
  }
}

function checked(date: string): string {
  if (!isLocalDate(date)) throw new DomainError('invalid-date', '日期须为有效的 YYYY-MM-DD', 'invalid', 'date');
  return date;
}
