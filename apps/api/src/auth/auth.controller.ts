import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '@coord/domain';
import { CommandMeta, type HttpCommandMeta } from '../http/command-context';
import { CurrentActor, Policy, Public } from './auth.decorators';
import { AllowedDuringTotpEnrolment } from './authentication.decorators';
import type { AuthenticatedRequest } from './authentication.service';
import { CredentialsService } from './credentials.service';
import { LoginThrottledError } from './login-throttle.service';
import { LoginService, type LoginResult } from './login.service';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password-policy';
import { SessionService, type TokenPair } from './session.service';

export class LoginDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(64) username!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(256) password!: string;
  @ApiPropertyOptional({ description: '已绑定动态口令的账号：6 位动态口令' }) @IsOptional() @IsString() @MaxLength(16) totp?: string;
}

export class RefreshDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(128) refreshToken!: string;
}

export class ChangePasswordDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(PASSWORD_MAX_LENGTH) currentPassword!: string;
  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH }) @IsString() @MinLength(PASSWORD_MIN_LENGTH) @MaxLength(PASSWORD_MAX_LENGTH) newPassword!: string;
}

export class ConfirmTotpDto {
  @ApiProperty({ description: '认证器应用显示的 6 位动态口令' }) @IsString() @IsNotEmpty() @MaxLength(16) code!: string;
}

/** The client address the throttle counts (Fastify's request.ip: the socket, or X-Forwarded-For from a trusted proxy only). */
const clientAddress = (request: FastifyRequest): string => request.ip || 'unknown';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly logins: LoginService,
    private readonly sessions: SessionService,
    private readonly credentials: CredentialsService,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: '登录：返回访问令牌（短期）和刷新令牌；已绑定动态口令的账号须提供 totp' })
  async login(@Body() body: LoginDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<LoginResult> {
    return withRetryAfter(reply, () => this.logins.login(body, clientAddress(request)));
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: '以刷新令牌换取新的访问令牌和刷新令牌（旧刷新令牌随即失效；重复使用将注销整个会话）' })
  async refresh(@Body() body: RefreshDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<TokenPair> {
    void reply.header('cache-control', 'no-store');
    return this.sessions.refresh(body.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @Policy('account.self')
  @AllowedDuringTotpEnrolment()
  @ApiOperation({ summary: '退出登录：注销本会话（访问令牌和刷新令牌立即失效）' })
  async logout(@Req() request: FastifyRequest): Promise<void> {
    await this.sessions.logout((request as unknown as AuthenticatedRequest).authSessionId);
  }

  @Post('password')
  @HttpCode(204)
  @ApiBearerAuth()
  @Policy('account.self')
  @ApiOperation({ summary: '修改本人密码；成功后本账号所有会话失效，须重新登录' })
  async changePassword(
    @Body() body: ChangePasswordDto,
    @CurrentActor() actor: Actor,
    @CommandMeta() meta: HttpCommandMeta,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await withRetryAfter(reply, () => this.credentials.changeOwnPassword(actor, body.currentPassword, body.newPassword, clientAddress(request), meta));
  }

  @Post('totp/enrol')
  @HttpCode(201)
  @ApiBearerAuth()
  @Policy('account.self')
  @AllowedDuringTotpEnrolment()
  @ApiOperation({ summary: '开始绑定动态口令：返回密钥和 otpauth:// 地址（仅显示这一次），用认证器应用扫描后以动态口令确认' })
  async startTotp(@CurrentActor() actor: Actor, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply): Promise<{ secret: string; otpauthUri: string }> {
    void reply.header('cache-control', 'no-store');
    return this.credentials.startTotpEnrolment(actor, meta);
  }

  @Post('totp/confirm')
  @HttpCode(204)
  @ApiBearerAuth()
  @Policy('account.self')
  @AllowedDuringTotpEnrolment()
  @ApiOperation({ summary: '以认证器应用的动态口令确认绑定；此后登录须提供动态口令' })
  async confirmTotp(@Body() body: ConfirmTotpDto, @CurrentActor() actor: Actor, @CommandMeta() meta: HttpCommandMeta): Promise<void> {
    await this.credentials.confirmTotpEnrolment(actor, body.code, meta);
  }
}

/** A throttled sign-in says when to come back (Retry-After, RFC 9110 §10.2.3) besides the 429 problem. */
async function withRetryAfter<T>(reply: FastifyReply, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof LoginThrottledError) void reply.header('retry-after', String(e.retryAfterSeconds));
    throw e;
  }
}

