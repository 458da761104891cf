import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { shanghaiDateOf } from '@coord/domain';
import { Policy } from '../auth/auth.decorators';
import { CommandMeta, derivedId, type HttpCommandMeta } from '../http/command-context';
import { commandResponse } from '../http/command-response';
import { GrantInformantAccessDto, InformantReadQueryDto, ReasonDto } from './informant.dto';
import { InformantCustodyService } from './informant-custody.service';

const uuid = new ParseUUIDPipe({ version: undefined });

/**
 * Informant custody (举报人信息保管): the only routes that ever return an informant's identity, and the
 * grants and erasure around them. Policy actions: `lead.informant.read` (the read and the grant list),
 * `lead.informant.manage` (grant, revoke, erase) — office only, and on top of that a personal grant.
 */
@ApiTags('informants 举报人信息')
@ApiBearerAuth()
@Controller('api')
export class InformantsController {
  constructor(private readonly custody: InformantCustodyService) {}

  @Get('leads/:id/informant')
  @Policy('lead.informant.read')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '查阅举报人信息（须专门授权；每次查阅均记录查阅人、时间和理由）' })
  async read(@Param('id', uuid) id: string, @Query() q: InformantReadQueryDto, @CommandMeta() meta: HttpCommandMeta) {
    const { informant, position } = await this.custody.read(id, q.reason, meta);
    return { leadId: id, informant: { name: informant.name, contact: informant.contact }, position };
  }

  @Post('leads/:id/informant/erasure')
  @HttpCode(200)
  @Policy('lead.informant.manage')
  @ApiOperation({ summary: '销毁举报人信息（销毁该线索的数据密钥，不可恢复；其余记录保留）' })
  async erase(@Param('id', uuid) id: string, @Body() body: ReasonDto, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.custody.erase(id, body.reason, meta);
    return commandResponse(reply, result, { id, erased: true });
  }

  @Post('informant-access-grants')
  @HttpCode(201)
  @Policy('lead.informant.manage')
  @ApiOperation({ summary: '授权某办公室用户查阅举报人信息（不得为本人授权；须有截止日期）' })
  async grant(@Body() body: GrantInformantAccessDto, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const grantId = derivedId(meta, 'informant-grant');
    const result = await this.custody.grant(body, grantId, meta);
    return commandResponse(reply, result, { grantId });
  }

  @Post('informant-access-grants/:grantId/revocation')
  @HttpCode(200)
  @Policy('lead.informant.manage')
  @ApiOperation({ summary: '撤销查阅授权' })
  async revoke(@Param('grantId', uuid) grantId: string, @Body() body: ReasonDto, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.custody.revoke(grantId, body.reason, meta);
    return commandResponse(reply, result, { grantId });
  }

  @Get('informant-access-grants')
  @Policy('lead.informant.read')
  @ApiOperation({ summary: '查阅授权列表' })
  list() {
    return this.custody.grants(shanghaiDateOf(new Date()));
  }
}
