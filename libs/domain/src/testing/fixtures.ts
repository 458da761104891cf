import type { Actor, CommandContext } from '../shared/actor';
import type { AgencyCode } from '../shared/agency';
import type { LocalDate } from '../shared/local-date';

export const TODAY: LocalDate = '2026-03-16'; // a Monday

export const office: Actor = { userId: 'u-office', username: 'office', role: 'office', agency: 'discipline-commission' };
export const leadership: Actor = { userId: 'u-leader', username: 'leader', role: 'leadership' };
export const auditor: Actor = { userId: 'u-auditor', username: 'auditor', role: 'auditor' };
export const system: Actor = { userId: 'system', username: 'system', role: 'system' };

export const agencyUser = (agency: AgencyCode): Actor => ({ userId: `u-${agency}`, username: agency, role: 'agency', agency });
export const audit = agencyUser('audit-bureau');
export const police = agencyUser('public-security');
export const procuratorate = agencyUser('procuratorate');
export const finance = agencyUser('finance-bureau');
export const court = agencyUser('court');

/** The context a command carries: who, when (instant) and the business date. */
export const ctx = (actor: Actor, today: LocalDate = TODAY): CommandContext => ({ actor, at: `${today}T02:00:00.000Z`, today });
