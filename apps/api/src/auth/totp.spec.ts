import { base32Decode, base32Encode, hotp, otpauthUri, totpAt, verifyTotp } from './totp';

// RFC 6238 Appendix B (SHA-1 key "12345678901234567890"), 8-digit codes; 6 digits are their last six
const RFC_KEY = Buffer.from('12345678901234567890', 'ascii');
const RFC_VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238)', () => {
  it.each(RFC_VECTORS)('at T=%d the 8-digit code is %s', (seconds, expected) => {
    expect(hotp(RFC_KEY, Math.floor(seconds / 30), 8)).toBe(expected);
  });

  it('6-digit codes from a base32 secret match the RFC vectors', () => {
    const secret = base32Encode(RFC_KEY);
    expect(secret).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Decode(secret)).toEqual(RFC_KEY);
    expect(totpAt(secret, 59_000)).toBe('287082');
  });

  it('accepts the previous, current and next step and no other; returns the matched step', () => {
    const secret = base32Encode(RFC_KEY);
    const now = 1111111111_000;
    const step = Math.floor(now / 30_000);
    expect(verifyTotp(secret, totpAt(secret, now), now)).toBe(step);
    expect(verifyTotp(secret, totpAt(secret, now - 30_000), now)).toBe(step - 1);
    expect(verifyTotp(secret, totpAt(secret, now + 30_000), now)).toBe(step + 1);
    expect(verifyTotp(secret, totpAt(secret, now - 60_000), now)).toBeUndefined();
    expect(verifyTotp(secret, totpAt(secret, now + 60_000), now)).toBeUndefined();
  });

  it.each(['', '12345', '1234567', 'abcdef', ' 123456'])('refuses the malformed code %j', (code) => {
    expect(verifyTotp(base32Encode(RFC_KEY), code, 59_000)).toBeUndefined();
  });

  it('builds an otpauth:// URI with issuer, algorithm, digits and period', () => {
    const uri = otpauthUri('县反腐败协调小组', 'li.si', 'ABC');
    expect(uri.startsWith('otpauth://totp/')).toBe(true);
    const url = new URL(uri);
    expect(Object.fromEntries(url.searchParams)).toEqual({ secret: 'ABC', issuer: '县反腐败协调小组', algorithm: 'SHA1', digits: '6', period: '30' });
  });
});
