import { DomainError } from '@coord/domain';

/**
 * The minimum password policy, after NIST SP 800-63B §5.1.1: length rather than composition rules (which
 * push people to `Password1!`), a cap so hashing cost stays bounded, and a refusal of the guesses every
 * attacker tries first. The real defence against guessing is the login throttle and scrypt's cost.
 */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

const COMMON = new Set([
  '1234567890',
  '12345678910',
  '0123456789',
  '1111111111',
  'password123',
  'password1234',
  'passw0rd123',
  'qwertyuiop',
  'qwerty12345',
  '1q2w3e4r5t',
  'abc1234567',
  'abcd123456',
  'admin12345',
  'admin123456',
  'administrator',
  'iloveyou123',
  'woaini1314',
  'aa12345678',
  'a123456789',
  'qq123456789',
]);

export function passwordProblem(password: string, username: string): string | undefined {
  const chars = [...password.normalize('NFKC')];
  if (chars.length < PASSWORD_MIN_LENGTH) return `密码至少 ${PASSWORD_MIN_LENGTH} 个字符`;
  if (chars.length > PASSWORD_MAX_LENGTH) return `密码最多 ${PASSWORD_MAX_LENGTH} 个字符`;
  if (new Set(chars).size < 3) return '密码不能由一两个字符重复组成';
  const lower = password.toLowerCase();
  if (lower === username.toLowerCase()) return '密码不能与用户名相同';
  if (COMMON.has(lower)) return '密码过于常见，请换一个';
  return undefined;
}

export function assertPasswordPolicy(password: string, username: string, field = 'password'): void {
  const problem = passwordProblem(password, username);
  if (problem) throw new DomainError('password-too-weak', problem, 'invalid', field);
}
