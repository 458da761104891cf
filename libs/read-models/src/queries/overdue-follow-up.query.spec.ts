import { WorkingDayCalendar } from '@coord/domain';
import type { DataSource } from 'typeorm';
import { type GivenEvent, projectedReadModels } from '../testing/project-events';
import { type FollowUpClocks, lastStartDueBy, OverdueFollowUpQuery } from './overdue-follow-up.query';
import { EpochDays } from './working-day-index';

const clocks: FollowUpClocks = {
  transferAcknowledgeWorkingDays: 5,
  transferDecisionWorkingDays: 5,
  leadDispositionWorkingDays: 15,
  dispositionWorkingDays: { 'talk-inquiry': 30, 'preliminary-verification': 15 },
  majorCaseProgressDays: 30,
};
const calendar = new WorkingDayCalendar({ holidays: ['2026-03-25'] });

const lead = (leadId: string, agency: string, receivedOn = '2026-03-02'): GivenEvent => [
  'lead.registered',
  { leadId, ledgerNo: `LC-2026-${leadId}`, source: 'petition', reportingAgency: agency, subject: { name: `某${leadId}`, post: '局长', unit: '县某局' }, allegation: 'x', receivedOn, important: false, hasInformant: false },
];
const item = (itemId: string, agency: string, dueOn: string): GivenEvent => [
  'supervision.opened',
  { itemId, itemNo: `DB-2026-${itemId}`, title: `督办${itemId}`, origin: 'office', assigneeAgency: agency, dueOn, openedOn: '2026-03-01' },
];
const filed = (caseId: string, major: boolean): GivenEvent => [
  'case.filed',
  { caseId, caseNo: `AJ-2026-${caseId}`, title: `${caseId}案`, leadIds: [], leads: [], subjects: [], leadAgency: 'public-security', coAgencies: [], filedOn: '2026-01-05', major, difficult: false },
];

describe('OverdueFollowUpQuery.list', () => {
  let ds: DataSource;
  let query: OverdueFollowUpQuery;

  beforeAll(async () => {
    ds = await projectedReadModels([
      // no disposition within 15 working days of receipt: due Mon 03-23
      lead('L1', 'audit-bureau'),
      // transferred Fri 03-20, never acknowledged: due 03-30 (the 03-25 holiday pushes it); its disposition clock stopped
      lead('L2', 'finance-bureau'),
      ['lead.transferred', { leadId: 'L2', transferId: 'T2', fromAgency: 'finance-bureau', toAgency: 'public-security', letterNo: 'a', reason: 'b', transferredOn: '2026-03-20' }],
      // acknowledged Mon 03-23, never decided: due 03-31
      lead('L3', 'finance-bureau', '2026-03-16'),
      ['lead.transferred', { leadId: 'L3', transferId: 'T3', fromAgency: 'finance-bureau', toAgency: 'procuratorate', letterNo: 'a', reason: 'b', transferredOn: '2026-03-20' }],
      ['lead.transfer-acknowledged', { leadId: 'L3', transferId: 'T3', agency: 'procuratorate', acknowledgedOn: '2026-03-23' }],
      // preliminary verification decided 03-02, 15 working days: due 03-23; talk-inquiry (30) not yet due
      lead('L4', 'audit-bureau'),
      ['lead.disposition-decided', { leadId: 'L4', method: 'preliminary-verification', rationale: 'r', agency: 'audit-bureau', decidedOn: '2026-03-02' }],
      lead('L5', 'audit-bureau'),
      ['lead.disposition-decided', { leadId: 'L5', method: 'talk-inquiry', rationale: 'r', agency: 'audit-bureau', decidedOn: '2026-03-02' }],
      // supervision: past due; extended; sent back after an early result; awaiting review (not overdue: see projection)
      item('S1', 'court', '2026-03-31'),
      item('S2', 'court', '2026-03-15'),
      ['supervision.extension-approved', { itemId: 'S2', requestId: 'E', previousDueOn: '2026-03-15', newDueOn: '2026-04-30', approvedOn: '2026-03-10' }],
      item('S3', 'audit-bureau', '2026-03-20'),
      ['supervision.result-reported', { itemId: 'S3', resultId: 'R', summary: 's', agency: 'audit-bureau', reportedOn: '2026-03-19' }],
      ['supervision.result-sent-back', { itemId: 'S3', resultId: 'R', comment: 'c', reviewedOn: '2026-03-25' }],
      item('S4', 'audit-bureau', '2026-03-20'),
      ['supervision.result-reported', { itemId: 'S4', resultId: 'R', summary: 's', agency: 'audit-bureau', reportedOn: '2026-03-18' }],
      // major case: last progress report 02-01, 30 days: due 03-03; a non-major case owes nothing
      filed('C1', true),
      ['case.progress-reported', { caseId: 'C1', reportId: 'P', stage: 'investigation', summary: 's', agency: 'public-security', reportedOn: '2026-02-01' }],
      filed('C2', false),
    ]);
    query = new OverdueFollowUpQuery(ds);
  });
  afterAll(() => ds.destroy());

  it('lists every obligation past its clock, most overdue first', async () => {
    expect(await query.list({ asOf: '2026-04-01', calendar, clocks })).toEqual({
      asOf: '2026-04-01',
      total: 7,
      limit: 50,
      offset: 0,
      byKind: { 'case-progress': 1, 'disposition-conclusion': 1, 'lead-disposition': 1, 'supervision-item': 2, 'transfer-acknowledgement': 1, 'transfer-decision': 1 },
      byAgency: { 'public-security': 2, 'audit-bureau': 3, court: 1, procuratorate: 1 },
      items: [
        { kind: 'case-progress', ref: 'AJ-2026-C1', refId: 'C1', agency: 'public-security', title: 'C1案', dueOn: '2026-03-03', daysOverdue: 29 },
        { kind: 'supervision-item', ref: 'DB-2026-S3', refId: 'S3', agency: 'audit-bureau', title: '督办S3', dueOn: '2026-03-20', daysOverdue: 12 },
        { kind: 'disposition-conclusion', ref: 'LC-2026-L4', refId: 'L4', agency: 'audit-bureau', title: '某L4（县某局局长）', dueOn: '2026-03-23', daysOverdue: 9 },
        { kind: 'lead-disposition', ref: 'LC-2026-L1', refId: 'L1', agency: 'audit-bureau', title: '某L1（县某局局长）', dueOn: '2026-03-23', daysOverdue: 9 },
        { kind: 'transfer-acknowledgement', ref: 'LC-2026-L2', refId: 'T2', agency: 'public-security', title: '某L2（县某局局长）', dueOn: '2026-03-30', daysOverdue: 2 },
        { kind: 'supervision-item', ref: 'DB-2026-S1', refId: 'S1', agency: 'court', title: '督办S1', dueOn: '2026-03-31', daysOverdue: 1 },
        { kind: 'transfer-decision', ref: 'LC-2026-L3', refId: 'T3', agency: 'procuratorate', title: '某L3（县某局局长）', dueOn: '2026-03-31', daysOverdue: 1 },
      ],
    });
  });

  it('filters by the responsible agency', async () => {
    const { items } = await query.list({ asOf: '2026-04-01', agency: 'court', calendar, clocks });
    expect(items.map((i) => i.refId)).toEqual(['S1']);
  });

  it('answers as of a past date from the archived periods (S3 was satisfied then, not yet sent back)', async () => {
    const { items } = await query.list({ asOf: '2026-03-24', calendar, clocks });
    expect(items.map((i) => [i.refId, i.daysOverdue])).toEqual([
      ['C1', 21],
      ['L4', 1],
      ['L1', 1],
    ]);
  });

  it('computes due dates from the calendar and the clocks given at query time', async () => {
    const noHoliday = await query.list({ asOf: '2026-04-01', calendar: new WorkingDayCalendar(), clocks });
    expect(noHoliday.items.find((i) => i.refId === 'T2')).toMatchObject({ dueOn: '2026-03-27', daysOverdue: 5 });
    const longer = await query.list({ asOf: '2026-04-01', calendar, clocks: { ...clocks, majorCaseProgressDays: 90, leadDispositionWorkingDays: 60 } });
    expect(longer.items.map((i) => i.refId)).not.toContain('C1');
    expect(longer.items.map((i) => i.refId)).not.toContain('L1');
  });

  it('pages the same order: any page size walks to the full list, ties (same due date) included', async () => {
    // given the full list as of 04-01 (two pairs of items share a due date)
    const all = (await query.list({ asOf: '2026-04-01', calendar, clocks, limit: 500 })).items;
    for (const limit of [1, 2, 3]) {
      // when walking it page by page
      const walked = [];
      for (let offset = 0; offset < all.length + limit; offset += limit) {
        const page = await query.list({ asOf: '2026-04-01', calendar, clocks, limit, offset });
        // then every page reports the counts of all items, not of the page
        expect(page).toMatchObject({ total: 7, limit, offset });
        walked.push(...page.items);
      }
      expect(walked).toEqual(all);
    }
  });

  it('counts every overdue item of the agency asked for, whatever the page', async () => {
    // given an agency filter and a one-item page, as of a past date (satisfied-later periods included)
    const page = await query.list({ asOf: '2026-04-01', agency: 'audit-bureau', calendar, clocks, limit: 1 });
    // then the page holds the most overdue item and the counts cover all three
    expect(page.items.map((i) => i.refId)).toEqual(['S3']);
    expect(page).toMatchObject({ total: 3, byAgency: { 'audit-bureau': 3 }, byKind: { 'supervision-item': 1, 'disposition-conclusion': 1, 'lead-disposition': 1 } });
    const past = await query.list({ asOf: '2026-03-24', calendar, clocks, limit: 2, offset: 1 });
    expect(past).toMatchObject({ total: 3, byKind: { 'case-progress': 1, 'disposition-conclusion': 1, 'lead-disposition': 1 } });
    expect(past.items.map((i) => i.refId)).toEqual(['L4', 'L1']);
  });

  it('bounds the page size like the other lists (at most 500, at least 1)', async () => {
    expect(await query.list({ asOf: '2026-04-01', calendar, clocks, limit: 10_000 })).toMatchObject({ limit: 500 });
    expect((await query.list({ asOf: '2026-04-01', calendar, clocks, limit: 0 })).items).toHaveLength(1);
  });
});

describe('OverdueFollowUpQuery.list with more ties than a page', () => {
  let ds: DataSource;
  let query: OverdueFollowUpQuery;

  beforeAll(async () => {
    // given 7 supervision items due the same day and 6 leads received the same day, none followed up,
    // alternately held by two agencies (so the indexes' order, agency before reference, is not the page's)
    const agencyOf = (i: number) => (i % 2 === 0 ? 'court' : 'audit-bureau');
    ds = await projectedReadModels([
      ...['T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7'].map((id, i) => item(id, agencyOf(i), '2026-03-16')),
      ...['M1', 'M2', 'M3', 'M4', 'M5', 'M6'].map((id, i) => lead(id, agencyOf(i), '2026-03-02')),
    ]);
    query = new OverdueFollowUpQuery(ds);
  });
  afterAll(() => ds.destroy());

  it('walks every tied item exactly once whatever the page size (the LIMIT never cuts a tie short)', async () => {
    const all = (await query.list({ asOf: '2026-04-01', calendar, clocks, limit: 500 })).items;
    expect(new Set(all.map((i) => i.refId)).size).toBe(13);
    for (const limit of [1, 2, 3, 5]) {
      // when walking the list page by page
      const walked = [];
      for (let offset = 0; offset < all.length; offset += limit) walked.push(...(await query.list({ asOf: '2026-04-01', calendar, clocks, limit, offset })).items);
      // then it is the full list, in the same order, no item missing or repeated
      expect(walked).toEqual(all);
    }
  });
});

describe('lastStartDueBy', () => {
  it('is the last start whose n-th working day after it is on or before the due date', () => {
    const days = new EpochDays();
    // a start on every day of March and April: the answer agrees with addWorkingDays for each
    for (const n of [0, 1, 5, 15]) {
      for (const due of ['2026-03-23', '2026-03-28', '2026-03-30', '2026-04-06']) {
        const last = lastStartDueBy(calendar, days, days.day(due), n);
        expect(calendar.addWorkingDays(days.date(last), n) <= due).toBe(true);
        expect(calendar.addWorkingDays(days.date(last + 1), n) > due).toBe(true);
      }
    }
  });
});
