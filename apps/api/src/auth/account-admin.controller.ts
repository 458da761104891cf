import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength, MinLength } from 'class-validator';
import { CommandMeta, type HttpCommandMeta } from '../http/command-context';
import { InputProblem } from '../http/problem-details';
import { Policy } from './auth.decorators';
import { CredentialsService } from './credentials.service';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password-policy';

export class ResetPasswordDto {
  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH }) @IsString() @MinLength(PASSWORD_MIN_LENGTH) @MaxLength(PASSWORD_MAX_LENGTH) newPassword!: string;
}

export class ResetTotpDto {
  @ApiProperty({ description: '解除理由（如：手机遗失）' }) @IsString() @IsNotEmpty() @MaxLength(500) reason!: string;
}

/** The office's credential resets of other accounts (each an event on the account's stream). */
@ApiTags('users')
@ApiBearerAuth()
@Controller('api/users')
export class AccountAdminController {
  constructor(private readonly credentials: CredentialsService) {}

  @Post(':username/password')
  @HttpCode(204)
  @Policy('user.manage')
  @ApiOperation({ summary: '办公室重置用户密码；该用户所有会话随即失效' })
  async resetPassword(@Param('username') username: string, @Body() body: ResetPasswordDto, @CommandMeta() meta: HttpCommandMeta): Promise<void> {
    await this.credentials.resetPassword(checkUsername(username), body.newPassword, meta);
  }

  @Post(':username/totp-reset')
  @HttpCode(204)
  @Policy('user.manage')
  @ApiOperation({ summary: '办公室解除用户的动态口令（如手机遗失）；该用户所有会话随即失效，下次登录须重新绑定' })
  async resetTotp(@Param('username') username: string, @Body() body: ResetTotpDto, @CommandMeta() meta: HttpCommandMeta): Promise<void> {
    await this.credentials.resetTotp(checkUsername(username), body.reason, meta);
  }
}

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/;

/** A path parameter is not validated by the DTO pipe: a malformed name is simply no account. */
function checkUsername(username: string): string {
  if (!USERNAME.test(username)) throw new InputProblem(404, 'account-not-found', '用户不存在');
  return username;
}
