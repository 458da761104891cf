import { EVENT_STORE, type EventStore } from '@coord/event-store';
import { totpAt } from '../apps/api/src/auth/totp';
import { ADMIN_PASSWORD, bearer, login, startTestApp, type TestApp } from './support/test-app';

/**
 * Sign-in (docs/security-authentication.md) against the real api: tokens and sessions, refresh rotation
 * and reuse detection, logout, password change and office reset, the TOTP second factor (enrolment,
 * sign-in, replay, office reset, enforcement per role) and the password policy.
 */
jest.setTimeout(60_000);

const PROBLEM = /application\/problem\+json/;

describe('sign-in: sessions, refresh tokens, password changes, TOTP', () => {
  let t: TestApp;
  let admin: string;
  let store: EventStore;

  beforeAll(async () => {
    t = await startTestApp(undefined, { COORD_TOTP_REQUIRED_ROLES: 'leadership' });
    admin = await login(t, 'admin', ADMIN_PASSWORD);
    store = t.app.get(EVENT_STORE);
  });
  afterAll(() => t.destroy());

  const createUser = async (username: string, role = 'agency', agency: string | undefined = role === 'agency' ? 'audit-bureau' : undefined) => {
    const password = `${username}-Pass-2024`;
    await t.http().post('/api/users').set(bearer(admin)).send({ username, password, role, ...(agency ? { agency } : {}) }).expect(201);
    return password;
  };
  const signIn = (username: string, password: string, totp?: string) => t.http().post('/api/auth/login').send({ username, password, ...(totp ? { totp } : {}) });
  const me = (token: string) => t.http().get('/api/leads').set(bearer(token));
  const refresh = (refreshToken: string) => t.http().post('/api/auth/refresh').send({ refreshToken });

  it('login answers a short-lived access token and an opaque refresh token', async () => {
    const res = await signIn('admin', ADMIN_PASSWORD).expect(200);
    expect(res.body).toEqual(expect.objectContaining({ tokenType: 'Bearer', expiresIn: 900, role: 'office' }));
    expect(res.body.accessToken.split('.')).toHaveLength(3);
    expect(res.body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const claims = JSON.parse(Buffer.from(res.body.accessToken.split('.')[1], 'base64url').toString());
    expect(claims.exp - claims.iat).toBe(900);
  });

  it('refresh rotates the refresh token; presenting a rotated one again revokes the whole session', async () => {
    const password = await createUser('rot-user');
    const first = (await signIn('rot-user', password).expect(200)).body;
    const second = (await refresh(first.refreshToken).expect(200)).body;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    await me(second.accessToken).expect(200);
    const third = (await refresh(second.refreshToken).expect(200)).body;

    // the first token was rotated long ago: someone copied it
    const reused = await refresh(first.refreshToken).expect(401);
    expect(reused.headers['content-type']).toMatch(PROBLEM);
    expect(reused.body.code).toBe('refresh-token-reused');
    // the family is gone: the latest refresh token and every access token of the session stop working
    expect((await refresh(third.refreshToken).expect(401)).body.code).toBe('refresh-token-invalid');
    await me(third.accessToken).expect(401);
    await me(first.accessToken).expect(401);
    // another sign-in is unaffected
    await me((await signIn('rot-user', password).expect(200)).body.accessToken).expect(200);
  });

  it('concurrent refreshes with one token: one wins, the other is treated as reuse', async () => {
    const password = await createUser('race-user');
    const pair = (await signIn('race-user', password).expect(200)).body;
    const results = await Promise.all([refresh(pair.refreshToken), refresh(pair.refreshToken)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('an unknown refresh token → 401', async () => {
    expect((await refresh('x'.repeat(43)).expect(401)).body.code).toBe('refresh-token-invalid');
  });

  it('logout ends the session at once: its access token and its refresh token', async () => {
    const password = await createUser('bye-user');
    const a = (await signIn('bye-user', password).expect(200)).body;
    const b = (await signIn('bye-user', password).expect(200)).body;
    await t.http().post('/api/auth/logout').set(bearer(a.accessToken)).expect(204);
    await me(a.accessToken).expect(401);
    await refresh(a.refreshToken).expect(401);
    // the other session of the same user goes on
    await me(b.accessToken).expect(200);
  });

  it('password change: the current password is checked, the policy applies, every earlier token stops working', async () => {
    const password = await createUser('pw-user');
    const a = (await signIn('pw-user', password).expect(200)).body;
    const b = (await signIn('pw-user', password).expect(200)).body;
    const change = (body: object) => t.http().post('/api/auth/password').set(bearer(a.accessToken)).send(body);

    const wrong = await change({ currentPassword: 'not-my-password', newPassword: 'a-brand-new-pass' }).expect(422);
    expect(wrong.body.errors).toEqual([expect.objectContaining({ field: 'currentPassword' })]);
    expect((await change({ currentPassword: password, newPassword: 'password123' }).expect(422)).body.code).toBe('password-too-weak');
    expect((await change({ currentPassword: password, newPassword: 'aaaaaaaaaaaa' }).expect(422)).body.code).toBe('password-too-weak');
    expect((await change({ currentPassword: password, newPassword: 'short' }).expect(400)).body.errors).toEqual([expect.objectContaining({ field: 'newPassword' })]);
    await change({ currentPassword: password, newPassword: 'a-brand-new-pass' }).expect(204);

    // both sessions: access tokens (credential version) and refresh tokens (sessions revoked)
    await me(a.accessToken).expect(401);
    await me(b.accessToken).expect(401);
    await refresh(a.refreshToken).expect(401);
    await refresh(b.refreshToken).expect(401);
    await signIn('pw-user', password).expect(401);
    await me((await signIn('pw-user', 'a-brand-new-pass').expect(200)).body.accessToken).expect(200);
    expect((await store.readStream('account-pw-user')).map((e) => e.type)).toEqual(['account.created', 'account.password-changed']);
  });

  it('the office resets a password (an event); the user’s tokens stop working; nobody else may', async () => {
    const password = await createUser('reset-user');
    const other = await createUser('reset-other');
    const userTokens = (await signIn('reset-user', password).expect(200)).body;
    const otherToken = (await signIn('reset-other', other).expect(200)).body.accessToken;

    await t.http().post('/api/users/reset-user/password').set(bearer(otherToken)).send({ newPassword: 'office-set-pass-1' }).expect(403);
    expect((await t.http().post('/api/users/nobody-here/password').set(bearer(admin)).send({ newPassword: 'office-set-pass-1' }).expect(404)).body.code).toBe('account-not-found');
    const weak = await t.http().post('/api/users/reset-user/password').set(bearer(admin)).send({ newPassword: 'reset-user' }).expect(422);
    expect(weak.body).toEqual(expect.objectContaining({ code: 'password-too-weak', errors: [expect.objectContaining({ field: 'newPassword' })] }));
    await t.http().post('/api/users/reset-user/password').set(bearer(admin)).send({ newPassword: 'office-set-pass-1' }).expect(204);

    await me(userTokens.accessToken).expect(401);
    await refresh(userTokens.refreshToken).expect(401);
    await signIn('reset-user', 'office-set-pass-1').expect(200);
    const changed = (await store.readStream('account-reset-user')).filter((e) => e.type === 'account.password-changed');
    expect(changed).toHaveLength(1);
    expect(changed[0].metadata.actor.username).toBe('admin');
  });

  it('a new account’s password must meet the policy', async () => {
    const res = await t.http().post('/api/users').set(bearer(admin)).send({ username: 'weak-user', password: '1234567890', role: 'auditor' }).expect(422);
    expect(res.body).toEqual(expect.objectContaining({ code: 'password-too-weak', errors: [expect.objectContaining({ field: 'password' })] }));
  });

  describe('TOTP second factor', () => {
    it('enrol (secret shown once as otpauth://), confirm with a code, then sign-in needs a fresh code each time', async () => {
      const password = await createUser('totp-user');
      const token = (await signIn('totp-user', password).expect(200)).body.accessToken;
      const enrol = await t.http().post('/api/auth/totp/enrol').set(bearer(token)).expect(201);
      const { secret, otpauthUri } = enrol.body as { secret: string; otpauthUri: string };
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/.+:totp-user\?/);
      expect(new URL(otpauthUri).searchParams.get('secret')).toBe(secret);
      expect(enrol.headers['cache-control']).toBe('no-store');
      // the secret is in the event's confidential part only
      const started = (await store.readStream('account-totp-user')).find((e) => e.type === 'account.totp-enrolment-started');
      expect(started?.data).toEqual({ userId: expect.any(String) });
      expect(JSON.stringify(started?.data)).not.toContain(secret);

      // not in force until confirmed: sign-in without a code still works
      await signIn('totp-user', password).expect(200);
      const badConfirm = await t.http().post('/api/auth/totp/confirm').set(bearer(token)).send({ code: '000000' === totpAt(secret, Date.now()) ? '111111' : '000000' }).expect(422);
      expect(badConfirm.body).toEqual(expect.objectContaining({ code: 'totp-invalid', errors: [expect.objectContaining({ field: 'code' })] }));
      await t.http().post('/api/auth/totp/confirm').set(bearer(token)).send({ code: totpAt(secret, Date.now()) }).expect(204);
      expect((await t.http().post('/api/auth/totp/enrol').set(bearer(token)).expect(409)).body.code).toBe('totp-already-enabled');

      expect((await signIn('totp-user', password).expect(401)).body).toEqual(expect.objectContaining({ code: 'totp-required', errors: [expect.objectContaining({ field: 'totp' })] }));
      const wrongCode = totpAt(secret, Date.now() + 10 * 60_000);
      expect((await signIn('totp-user', password, wrongCode).expect(401)).body.code).toBe('totp-invalid');
      // the password is checked before the code: a wrong password with a right code is just a wrong password
      expect((await signIn('totp-user', 'wrong-password-x', totpAt(secret, Date.now())).expect(401)).body.code).toBe('unauthenticated');
      const code = totpAt(secret, Date.now());
      const ok = await signIn('totp-user', password, code).expect(200);
      await me(ok.body.accessToken).expect(200);
      // a code is good once: replaying it (even a still-valid one) is refused; the next step's code works
      expect((await signIn('totp-user', password, code).expect(401)).body.code).toBe('totp-invalid');
      await signIn('totp-user', password, totpAt(secret, Date.now() + 30_000)).expect(200);
      expect((await store.readStream('account-totp-user')).map((e) => e.type)).toEqual(['account.created', 'account.totp-enrolment-started', 'account.totp-enabled']);
    }, 30_000);

    it('the office removes a lost second factor: sessions end, sign-in without a code works again', async () => {
      const password = await createUser('lost-phone');
      const token = (await signIn('lost-phone', password).expect(200)).body.accessToken;
      const { secret } = (await t.http().post('/api/auth/totp/enrol').set(bearer(token)).expect(201)).body as { secret: string };
      await t.http().post('/api/auth/totp/confirm').set(bearer(token)).send({ code: totpAt(secret, Date.now()) }).expect(204);
      const session = (await signIn('lost-phone', password, totpAt(secret, Date.now() + 30_000)).expect(200)).body;

      await t.http().post('/api/users/lost-phone/totp-reset').set(bearer(session.accessToken)).send({ reason: '手机遗失' }).expect(403);
      await t.http().post('/api/users/lost-phone/totp-reset').set(bearer(admin)).send({ reason: '手机遗失' }).expect(204);
      await me(session.accessToken).expect(401);
      await refresh(session.refreshToken).expect(401);
      await signIn('lost-phone', password).expect(200);
      expect((await t.http().post('/api/users/lost-phone/totp-reset').set(bearer(admin)).send({ reason: '再次' }).expect(409)).body.code).toBe('totp-not-enabled');
    }, 30_000);

    it('a role that requires TOTP (COORD_TOTP_REQUIRED_ROLES=leadership) can only enrol until it has', async () => {
      const password = await createUser('leader-li', 'leadership');
      const first = await signIn('leader-li', password).expect(200);
      expect(first.body).toEqual(expect.objectContaining({ totpEnrolmentRequired: true, role: 'leadership' }));
      expect(first.body.refreshToken).toBeUndefined();
      const restricted = first.body.accessToken as string;
      const refused = await me(restricted).expect(403);
      expect(refused.body.code).toBe('totp-enrolment-required');
      await t.http().post('/api/auth/password').set(bearer(restricted)).send({ currentPassword: password, newPassword: 'another-pass-99' }).expect(403);

      const { secret } = (await t.http().post('/api/auth/totp/enrol').set(bearer(restricted)).expect(201)).body as { secret: string };
      await t.http().post('/api/auth/totp/confirm').set(bearer(restricted)).send({ code: totpAt(secret, Date.now()) }).expect(204);
      const full = await signIn('leader-li', password, totpAt(secret, Date.now() + 30_000)).expect(200);
      expect(full.body.totpEnrolmentRequired).toBeUndefined();
      expect(typeof full.body.refreshToken).toBe('string');
      await me(full.body.accessToken).expect(200);
      // roles not listed are unaffected (every other test signs in without a code)
    }, 30_000);
  });
});

describe('sign-in throttling', () => {
  describe('per account', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(undefined, { COORD_LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', COORD_LOGIN_MAX_FAILURES_PER_ADDRESS: '1000' });
      const admin = await login(t, 'admin', ADMIN_PASSWORD);
      await t.http().post('/api/users').set(bearer(admin)).send({ username: 'clear-user', password: 'clear-user-Pass-2024', role: 'auditor' }).expect(201);
    });
    afterAll(() => t.destroy());
    const attempt = (username: string, password: string) => t.http().post('/api/auth/login').send({ username, password });

    it('after 3 failures the account is refused with 429 login-throttled and Retry-After — even with the right password', async () => {
      for (let i = 0; i < 3; i++) await attempt('admin', `wrong-${i}-password`).expect(401);
      const res = await attempt('admin', ADMIN_PASSWORD).expect(429);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body).toEqual(expect.objectContaining({ status: 429, code: 'login-throttled' }));
      const retryAfter = Number(res.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(900);
      // another account from the same address is not affected
      await attempt('nobody-else', 'wrong-password-x').expect(401);
    });

    it('a successful sign-in clears the account’s failures', async () => {
      for (let i = 0; i < 2; i++) await attempt('clear-user', `wrong-${i}-password`).expect(401);
      await attempt('clear-user', 'clear-user-Pass-2024').expect(200);
      for (let i = 0; i < 3; i++) await attempt('clear-user', `wrong-${i}-password`).expect(401);
      await attempt('clear-user', 'clear-user-Pass-2024').expect(429);
    });

    it('concurrent guesses cannot slip past the limit: of 12 at once, exactly 3 are checked', async () => {
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => attempt('burst-target', `wrong-guess-${i}`)));
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(3);
      expect(statuses.filter((s) => s === 429)).toHaveLength(9);
    });
  });

  describe('per address', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(undefined, { COORD_LOGIN_MAX_FAILURES_PER_ACCOUNT: '100', COORD_LOGIN_MAX_FAILURES_PER_ADDRESS: '4' });
    });
    afterAll(() => t.destroy());

    it('successes do not count; after 4 failures from one address every account is refused from it', async () => {
      for (let i = 0; i < 3; i++) await login(t, 'admin', ADMIN_PASSWORD);
      for (const name of ['a-user', 'b-user', 'c-user', 'd-user']) await t.http().post('/api/auth/login').send({ username: name, password: 'wrong-password-x' }).expect(401);
      const res = await t.http().post('/api/auth/login').send({ username: 'admin', password: ADMIN_PASSWORD }).expect(429);
      expect(res.body.code).toBe('login-throttled');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    });
  });
});
