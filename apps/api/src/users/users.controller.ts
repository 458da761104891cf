import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { ACCOUNT_ROLES, DomainError, LEADERSHIP_ROLES, type AccountRole, type LeadershipRole } from '@coord/domain';
import { AccountsService } from '../auth/accounts.service';
import { CurrentActor, Policy } from '../auth/auth.decorators';
import { AgencyDirectory } from '../agencies/agency-directory.service';
import { CommandMeta, type HttpCommandMeta } from '../http/command-context';
import { commandResponse, eventData } from '../http/command-response';
import { IsAgencyCode } from '../http/validators';
import type { Actor } from '@coord/domain';

export class CreateUserDto {
  @ApiProperty() @IsString() @Matches(/^[a-z][a-z0-9._-]{2,31}$/) username!: string;
  @ApiProperty({ minLength: 10 }) @IsString() @MinLength(10) @MaxLength(256) password!: string;
  @ApiProperty({ enum: ACCOUNT_ROLES }) @IsIn(ACCOUNT_ROLES) role!: AccountRole;
  @ApiPropertyOptional({ description: '角色为 agency 时必填' }) @IsOptional() @IsAgencyCode() agency?: string;
  @ApiPropertyOptional({ enum: LEADERSHIP_ROLES, description: '仅角色为 leadership 时可填：group-leader 组长（可签发《案情专报》）、deputy 副组长、reader 阅知领导' })
  @IsOptional()
  @IsIn(LEADERSHIP_ROLES)
  leadershipRole?: LeadershipRole;
  @ApiPropertyOptional({ description: '姓名（与工作单位同时填写；用于回避：案件、线索涉及本人时不得查阅）', example: '张三' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  fullName?: string;
  @ApiPropertyOptional({ description: '工作单位（与姓名同时填写）', example: '县住建局' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  unit?: string;
}

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/users')
export class UsersController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly agencies: AgencyDirectory,
  ) {}

  @Post()
  @HttpCode(201)
  @Policy('user.manage')
  async create(@Body() body: CreateUserDto, @CurrentActor() actor: Actor, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    if (body.role === 'agency' && !body.agency) throw new DomainError('agency-required', '单位用户必须指定所属单位', 'invalid', 'agency');
    if (body.agency) await this.agencies.assertMember(body.agency, 'agency', meta.ctx.today);
    const result = await this.accounts.create(body, actor, meta);
    const data = eventData<{ userId: string; username: string; role: string; agency?: string; leadershipRole?: string; fullName?: string; unit?: string }>(result, 'account.created');
    return commandResponse(reply, result, {
      id: data.userId,
      username: data.username,
      role: data.role,
      ...(data.agency ? { agency: data.agency } : {}),
      ...(data.leadershipRole ? { leadershipRole: data.leadershipRole } : {}),
      ...(data.fullName ? { fullName: data.fullName, unit: data.unit } : {}),
    });
  }
}
