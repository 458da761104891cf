import type { Decider } from '../shared/decider';
import { refuse } from '../shared/domain-error';
import { assertOffice } from '../shared/guards';
import type { BulletinRegisterCommand } from './bulletin.commands';
import type { BulletinRegisterEvent } from './bulletin.events';

/**
 * The per-year register of 《案情专报》 issue numbers (stream bulletins-<year>). Same shape as the ledgers
 * (ledger.decider): gapless, one number per bulletin, idempotent per bulletin. It is a separate register
 * rather than a new LedgerKind because the number reads differently (〔2026〕第3期, not a prefix code)
 * and the stream name bulletins-<year> was already part of the contract.
 */
export interface BulletinRegisterState {
  year: number | null;
  lastSeq: number;
  byBulletin: Record<string, number>; // bulletinId → seq
}

/** 〔2026〕第3期 — the year in 六角括号 and the issue's sequence within the year, unpadded. */
export const formatIssueNo = (year: number, seq: number): string => `〔${year}〕第${seq}期`;

/** The seq a bulletin will hold once AssignBulletinNumber is decided on `state` (its own on a retry). */
export const nextBulletinSeq = (state: BulletinRegisterState, bulletinId: string): number => state.byBulletin[bulletinId] ?? state.lastSeq + 1;

export const bulletinRegisterDecider: Decider<BulletinRegisterCommand, BulletinRegisterState, BulletinRegisterEvent> = {
  initialState: { year: null, lastSeq: 0, byBulletin: {} },

  decide(command, state) {
    assertOffice(command.ctx.actor);
    switch (command.type) {
      case 'AssignBulletinNumber': {
        if (!Number.isInteger(command.year) || command.year < 1000 || command.year > 9999) refuse('register-year-invalid', '专报年度无效', 'invalid', 'year');
        if (state.year !== null && state.year !== command.year) refuse('register-mismatch', '专报年度与本登记簿不符', 'invalid', 'year');
        if (state.byBulletin[command.bulletinId] !== undefined) return [];
        const seq = state.lastSeq + 1;
        return [{ type: 'bulletin-register.number-assigned', data: { year: command.year, seq, issueNo: formatIssueNo(command.year, seq), bulletinId: command.bulletinId } }];
      }
      default: {
        const unhandled: never = command.type;
        throw new Error(`unhandled bulletin register command ${String(unhandled)}`);
      }
    }
  },

  evolve(state, event) {
    const d = event.data;
    return { year: d.year, lastSeq: Math.max(state.lastSeq, d.seq), byBulletin: { ...state.byBulletin, [d.bulletinId]: d.seq } };
  },
};
