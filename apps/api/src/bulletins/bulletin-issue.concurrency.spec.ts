import { EVENT_SCHEMA_VERSIONS, bulletinDecider, streams, type BulletinCommand, type BulletinContent, type CoordinationEventType } from '@coord/domain';
import { CommandHandler, SqliteEventStore, type EventStore } from '@coord/event-store';
import type { HttpCommandMeta } from '../http/command-context';
import { IssueBulletinBusCommand } from './bulletin.bus-commands';
import { IssueBulletinHandler } from './bulletin.bus-handlers';

const office = { userId: 'u-office', username: 'office', role: 'office' as const, agency: 'discipline-commission' };
const leader = { userId: 'u-leader', username: 'leader', role: 'leadership' as const, leadershipRole: 'group-leader' as const };
const TODAY = '2026-03-16';
const meta = (id: string, actor: HttpCommandMeta['ctx']['actor'] = office): HttpCommandMeta => ({
  commandId: id,
  correlationId: id,
  idempotencyKeyGiven: false,
  ctx: { actor, at: `${TODAY}T02:00:00.000Z`, today: TODAY },
});
const content: BulletinContent = {
  title: '专报',
  sections: { subject: 's', source: 's', allegations: 's', disposition: 's', facts: 's', measures: 's', sanctions: 's', recovered: 's', nextSteps: 's' },
};

/**
 * Every read yields to the event loop first, so N concurrent issues all read the register before any of
 * them appends — the worst interleaving, every time (the embedded SQLite store is otherwise so fast that
 * HTTP requests rarely overlap). Appends stay atomic in the real store.
 */
function contended(store: EventStore): EventStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop === 'readStream' && typeof value === 'function') {
        return async (...args: unknown[]) => {
          await new Promise((resolve) => setImmediate(resolve));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('issuing bulletins concurrently (register bulletins-<year>, worst-case interleaving)', () => {
  const N = 10;
  let store: SqliteEventStore;
  let handler: CommandHandler;

  beforeEach(async () => {
    store = SqliteEventStore.open(':memory:');
    handler = new CommandHandler(contended(store), { schemaVersionOf: (t) => EVENT_SCHEMA_VERSIONS[t as CoordinationEventType] });
    for (let i = 1; i <= N; i++) {
      const id = `B${i}`;
      const draft: BulletinCommand = { type: 'DraftBulletin', bulletinId: id, case: { caseId: 'C1', caseNo: 'AJ-2026-0001', major: true, difficult: false, version: 1 }, content, recoveredFen: 0, ctx: meta('x').ctx };
      await handler.handle(bulletinDecider, streams.bulletin(id), draft, meta(`draft-${id}`));
      await handler.handle(bulletinDecider, streams.bulletin(id), { type: 'ApproveBulletin', ctx: meta('x', leader).ctx } as BulletinCommand, meta(`approve-${id}`, leader));
    }
  });

  afterEach(() => store.close());

  const issueAll = (issuer: IssueBulletinHandler) =>
    Promise.allSettled(Array.from({ length: N }, (_, i) => issuer.execute(new IssueBulletinBusCommand(`B${i + 1}`, { distribution: { mainTo: ['县委'] } }, meta(`issue-B${i + 1}`)))));

  it(`given ${N} approved drafts, when all are issued at once, then numbers 1..${N} are each used exactly once`, async () => {
    const results = await issueAll(new IssueBulletinHandler(handler));
    expect(results.map((r) => r.status)).toEqual(Array(N).fill('fulfilled'));

    const register = await store.readStream(streams.bulletins(2026));
    expect(register.map((e) => (e.data as { seq: number }).seq)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    const seqOf = new Map(register.map((e) => [(e.data as { bulletinId: string }).bulletinId, (e.data as { seq: number }).seq]));
    expect(seqOf.size).toBe(N);
    for (let i = 1; i <= N; i++) {
      const { state } = await handler.load(bulletinDecider, streams.bulletin(`B${i}`));
      expect(state).toMatchObject({ status: 'issued', issue: { seq: seqOf.get(`B${i}`), issueNo: `〔2026〕第${seqOf.get(`B${i}`)}期` } });
    }
  });

  it('the race is real: without retries, all but one issue are refused with a version conflict and no number is lost', async () => {
    // the same plan with the conflict retry turned off shows the contention this spec creates
    const noRetry = new CommandHandler(contended(store), { schemaVersionOf: (t) => EVENT_SCHEMA_VERSIONS[t as CoordinationEventType] });
    const execute = noRetry.execute.bind(noRetry);
    noRetry.execute = (m, plan, opts) => execute(m, plan, { ...opts, retryOnConflict: 0 });
    const results = await issueAll(new IssueBulletinHandler(noRetry));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => ((r as PromiseRejectedResult).reason as Error).name)).toEqual(Array(N - 1).fill('WrongExpectedVersionError'));
    // the refused ones drew no number: the register holds exactly one, 第1期
    expect((await store.readStream(streams.bulletins(2026))).map((e) => (e.data as { seq: number }).seq)).toEqual([1]);
  });
});
