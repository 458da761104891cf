import { Body, Controller, HttpCode, Post, UnauthorizedException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { JwtService } from '@nestjs/jwt';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { AccountsService } from './accounts.service';
import { Public } from './auth.decorators';

export class LoginDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(64) username!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(256) password!: string;
}

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly jwt: JwtService,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: '登录，返回访问令牌' })
  async login(@Body() body: LoginDto): Promise<{ accessToken: string; tokenType: 'Bearer'; role: string; agency?: string; leadershipRole?: string }> {
    const account = await this.accounts.authenticate(body.username, body.password);
    if (!account) throw new UnauthorizedException();
    // the leadership title travels in the token: 签发 of a bulletin needs 'group-leader'
    const title = account.leadershipRole ? { leadershipRole: account.leadershipRole } : {};
    const accessToken = await this.jwt.signAsync({ sub: account.userId, username: account.username, role: account.role, ...(account.agency ? { agency: account.agency } : {}), ...title });
    return { accessToken, tokenType: 'Bearer', role: account.role, ...(account.agency ? { agency: account.agency } : {}), ...title };
  }
}
