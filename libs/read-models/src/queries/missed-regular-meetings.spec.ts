import { WorkingDayCalendar } from '@coord/domain';
import type { DataSource } from 'typeorm';
import { type GivenEvent, projectedReadModels } from '../testing/project-events';
import { type FollowUpClocks, OverdueFollowUpQuery } from './overdue-follow-up.query';

const clocks: FollowUpClocks = {
  transferAcknowledgeWorkingDays: 5,
  transferDecisionWorkingDays: 5,
  leadDispositionWorkingDays: 15,
  dispositionWorkingDays: { 'talk-inquiry': 30, 'preliminary-verification': 15 },
  majorCaseProgressDays: 30,
};
const calendar = new WorkingDayCalendar();
const convened = (meetingId: string, kind: 'regular' | 'special', heldOn: string): GivenEvent => [
  'meeting.convened',
  { meetingId, kind, heldOn, attendees: ['court', 'discipline-commission'], expectedMembers: ['court', 'discipline-commission'] },
];
const item = (itemId: string, openedOn: string): GivenEvent => [
  'supervision.opened',
  { itemId, itemNo: `DB-${itemId}`, title: '督办', origin: 'office', assigneeAgency: 'court', dueOn: '2030-12-31', openedOn },
];

describe('overdue follow-ups: a half-year with no regular joint meeting (kind regular-meeting)', () => {
  let ds: DataSource;
  let query: OverdueFollowUpQuery;
  const meetingRows = async (asOf: string, opts: { agency?: string; meetingsSince?: string } = {}) =>
    (await query.list({ asOf, calendar, clocks, ...opts })).items.filter((i) => i.kind === 'regular-meeting');

  beforeAll(async () => {
    // the first recorded date is 2025-03-10 (an obligation); regular meetings in 2025-H2 and 2026-H2, a special one in 2026-H1
    ds = await projectedReadModels([item('S1', '2025-03-10'), convened('M1', 'regular', '2025-09-15'), convened('M2', 'special', '2026-04-01'), convened('M3', 'regular', '2026-07-20')]);
    query = new OverdueFollowUpQuery(ds);
  });
  afterAll(() => ds.destroy());

  it('given no establishment date, counts the full half-years since the first recorded date: 2026-H1 had only a special meeting', async () => {
    expect(await meetingRows('2027-01-10')).toEqual([
      { kind: 'regular-meeting', ref: '2026年上半年', refId: '2026-H1', agency: 'discipline-commission', title: '2026年上半年未召开联席会议定期会议', dueOn: '2026-06-30', daysOverdue: 194 },
    ]);
  });

  it('given the establishment date, every completed half-year since then without a regular meeting is listed, most overdue first', async () => {
    const rows = await meetingRows('2027-01-10', { meetingsSince: '2024-07-01' });
    expect(rows.map((r) => [r.refId, r.dueOn, r.daysOverdue])).toEqual([
      ['2024-H2', '2024-12-31', 740],
      ['2025-H1', '2025-06-30', 559],
      ['2026-H1', '2026-06-30', 194],
    ]);
  });

  it('a half-year that has not ended yet is not overdue; on its last day it is still in time', async () => {
    expect(await meetingRows('2026-06-30', { meetingsSince: '2026-01-01' })).toEqual([]);
    expect((await meetingRows('2026-07-01', { meetingsSince: '2026-01-01' })).map((r) => [r.refId, r.daysOverdue])).toEqual([['2026-H1', 1]]);
  });

  it('belongs to the discipline commission: another agency’s list does not show it', async () => {
    expect(await meetingRows('2027-01-10', { agency: 'court' })).toEqual([]);
    expect(await meetingRows('2027-01-10', { agency: 'discipline-commission' })).toHaveLength(1);
  });

  it('with no data and no establishment date nothing is listed', async () => {
    const empty = await projectedReadModels([]);
    expect((await new OverdueFollowUpQuery(empty).list({ asOf: '2027-01-10', calendar, clocks })).items).toEqual([]);
    await empty.destroy();
  });
});
