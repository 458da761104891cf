import { ReminderSchedulerService } from '../apps/api/src/notifications/reminder-scheduler.service';
import { ADMIN_PASSWORD, bearer, login, plusDays, shanghaiToday, startTestApp, userToken, type TestApp } from './support/test-app';

/**
 * 催办 end to end: the deadline scheduler is ticked with an injected "today" (never the real clock: the app
 * runs with COORD_REMINDER_TICK_MS=0), reminders and escalations land in the item's own history exactly
 * once — across repeated ticks and an app restart — and reach the per-agency notification feed.
 */
const ENV = { COORD_REMINDER_TICK_MS: '0' };
/** 10:00 Beijing time on a business date */
const at = (date: string) => new Date(`${date}T02:00:00.000Z`);

describe('reminders and escalation (催办与升级督办)', () => {
  let t: TestApp;
  let admin: string;
  let audit: string;
  let court: string;
  let leader: string;
  const today = shanghaiToday();
  // item A (audit bureau) is due in 9 days: time for both reminders; item B (court) is due today, so the
  // same daily ticks take it through its first two escalations (the third, at 10 days, is never reached)
  const dueA = plusDays(today, 9);
  const dueB = today;
  let itemA: string;
  let itemB: string;

  const tick = async (date: string) => {
    const result = await t.app.get(ReminderSchedulerService).tick(at(date));
    const head = Math.max(0, ...result.fired.map((f) => f.position));
    // read-your-writes: wait for the projections to include what the tick wrote
    await t.http().get(`/api/notifications?minPosition=${head}`).set(bearer(admin)).expect(200);
    return result;
  };
  const remindersOf = async (id: string) => {
    const h = await t.http().get(`/api/supervision-items/${id}/history`).set(bearer(admin)).expect(200);
    return (h.body.events as { type: string; label: string; data: { step: string } }[])
      .filter((e) => e.type === 'supervision.reminder-sent' || e.type === 'supervision.escalated')
      .map((e) => `${e.label} ${e.data.step}`);
  };

  beforeAll(async () => {
    t = await startTestApp(undefined, ENV);
    admin = await login(t, 'admin', ADMIN_PASSWORD);
    audit = await userToken(t, admin, 'audit-clerk', 'agency', 'audit-bureau');
    court = await userToken(t, admin, 'court-clerk', 'agency', 'court');
    leader = await userToken(t, admin, 'group-leader', 'leadership');
    const a = await t.http().post('/api/supervision-items').set(bearer(admin)).send({ title: '督促审计局整改补贴问题', assigneeAgency: 'audit-bureau', dueOn: dueA, origin: 'office' }).expect(201);
    const b = await t.http().post('/api/supervision-items').set(bearer(admin)).send({ title: '督促法院执结涉案财物', assigneeAgency: 'court', dueOn: dueB, origin: 'leader-instruction' }).expect(201);
    itemA = a.body.id;
    itemB = b.body.id;
    await t.http().get(`/api/supervision-items/${itemB}?minPosition=${b.body.position}`).set(bearer(admin)).expect(200);
  });
  afterAll(() => t.destroy());

  it('given one item approaching its due date and one overdue, when the scheduler ticks day by day, then the first is reminded 3 and 1 working days before and the second escalated at 1 and 5 days overdue', async () => {
    const first = await tick(plusDays(today, 1));
    expect(first.fired.filter((f) => f.written).map((f) => [f.deadlineId, f.step])).toEqual([[`supervision-item:${itemB}`, 'after-1']]);
    for (let d = 2; d <= 9; d++) await tick(plusDays(today, d));
    expect(await remindersOf(itemA)).toEqual(['到期催办 before-3', '到期催办 before-1']);
    expect(await remindersOf(itemB)).toEqual(['逾期升级督办 after-1', '逾期升级督办 after-5']);
  });

  it('an escalation goes to the group leader with the days overdue, recorded as the system', async () => {
    const h = await t.http().get(`/api/supervision-items/${itemB}/history`).set(bearer(admin)).expect(200);
    const escalation = (h.body.events as { type: string; data: unknown; actor: unknown }[]).filter((e) => e.type === 'supervision.escalated').at(-1);
    expect(escalation?.data).toMatchObject({ step: 'after-5', level: 2, toRole: 'group-leader', daysOverdue: 5, dueOn: dueB, agency: 'court', escalatedOn: plusDays(dueB, 5) });
    expect(escalation?.actor).toEqual({ username: 'deadline-scheduler', role: 'system' });
  });

  it('ticking twice on the same day fires nothing more', async () => {
    const again = await tick(plusDays(today, 9));
    expect(again.fired).toEqual([]);
    expect(await remindersOf(itemB)).toEqual(['逾期升级督办 after-1', '逾期升级督办 after-5']);
  });

  it('the assignee agency sees its own notifications, the office sees all (and can filter), leadership sees the escalations', async () => {
    const mine = await t.http().get('/api/notifications').set(bearer(audit)).expect(200);
    expect(mine.body.total).toBe(2);
    expect(mine.body.items.map((n: { kind: string; step: string; agency: string }) => [n.kind, n.step, n.agency])).toEqual([
      ['reminder', 'before-1', 'audit-bureau'],
      ['reminder', 'before-3', 'audit-bureau'],
    ]);
    expect(mine.body.items[0].title).toBe(`督办事项${mine.body.items[0].ref}「督促审计局整改补贴问题」将于${dueA}到期，请抓紧办理并报送办理结果`);
    // an agency cannot widen its scope by asking for another agency
    expect((await t.http().get('/api/notifications?agency=court').set(bearer(audit)).expect(200)).body.total).toBe(2);

    const courts = await t.http().get('/api/notifications').set(bearer(court)).expect(200);
    expect(courts.body.items.map((n: { kind: string; step: string; daysOverdue: number }) => [n.kind, n.step, n.daysOverdue])).toEqual([
      ['escalation', 'after-5', 5],
      ['escalation', 'after-1', 1],
    ]);

    const all = await t.http().get('/api/notifications').set(bearer(admin)).expect(200);
    expect(all.body.total).toBe(4);
    expect((await t.http().get('/api/notifications?agency=court&limit=1').set(bearer(admin)).expect(200)).body).toMatchObject({ total: 2, limit: 1, items: [{ step: 'after-5' }] });
    expect((await t.http().get('/api/notifications?kind=reminder').set(bearer(admin)).expect(200)).body.total).toBe(2);

    const leaders = await t.http().get('/api/notifications?kind=reminder').set(bearer(leader)).expect(200);
    expect(leaders.body.items.map((n: { kind: string }) => n.kind)).toEqual(['escalation', 'escalation']);
  });

  it('refuses bad filters as problem+json naming the field, and anonymous callers', async () => {
    const bad = await t.http().get('/api/notifications?kind=gossip').set(bearer(admin)).expect(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(bad.body)).toContain('kind');
    await t.http().get('/api/notifications').expect(401);
  });

  it('after a restart, ticking the same days again fires nothing: each reminder is in the history once', async () => {
    const dataDir = t.dataDir;
    await t.close();
    t = await startTestApp(dataDir, ENV);
    admin = await login(t, 'admin', ADMIN_PASSWORD);
    for (const d of [plusDays(today, 1), plusDays(today, 5), plusDays(dueA, -1), dueA]) {
      expect((await tick(d)).fired).toEqual([]);
    }
    expect(await remindersOf(itemA)).toEqual(['到期催办 before-3', '到期催办 before-1']);
    expect(await remindersOf(itemB)).toEqual(['逾期升级督办 after-1', '逾期升级督办 after-5']);
    expect((await t.http().get('/api/notifications').set(bearer(admin)).expect(200)).body.total).toBe(4);
  });
});
