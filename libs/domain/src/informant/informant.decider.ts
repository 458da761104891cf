import type { WithContext, Decider } from '../shared/decider';
import { refuse } from '../shared/domain-error';
import { assertOffice, requireDate, requireText } from '../shared/guards';
import type { LocalDate } from '../shared/local-date';
import type { InformantAccessGranted, InformantAccessRevoked, InformantErased, InformantEvent, InformantViewed } from './informant.events';

export type GrantInformantAccess = WithContext<{ type: 'GrantInformantAccess'; grantId: string; username: string; leadId?: string; reason: string; until: LocalDate }>;
export type RevokeInformantAccess = WithContext<{ type: 'RevokeInformantAccess'; grantId: string; reason: string }>;
export type InformantGrantCommand = GrantInformantAccess | RevokeInformantAccess;

export interface InformantGrant {
  grantId: string;
  username: string;
  leadId?: string;
  reason: string;
  until: LocalDate;
  revoked: boolean;
}

export interface InformantGrantsState {
  grants: Record<string, InformantGrant>;
}

/**
 * Grants to read informants' identities. Four eyes: an office user cannot grant themselves (the custodian
 * and the reader are different people), and a grant always ends (`until`).
 */
export const informantGrantsDecider: Decider<InformantGrantCommand, InformantGrantsState, InformantAccessGranted | InformantAccessRevoked> = {
  initialState: { grants: {} },
  decide(command, state) {
    assertOffice(command.ctx.actor);
    switch (command.type) {
      case 'GrantInformantAccess': {
        requireText(command.reason, 'reason', 'reason-required', '授权理由');
        requireText(command.username, 'username', 'username-required', '被授权用户');
        requireDate(command.until, 'until');
        if (command.until < command.ctx.today) refuse('until-in-past', `授权截止日期不能早于今天（${command.ctx.today}）`, 'invalid', 'until');
        if (command.username === command.ctx.actor.username) refuse('informant-self-grant', '不能为本人授权查阅举报人信息（须由另一名办公室人员授权）', 'forbidden', 'username');
        if (state.grants[command.grantId]) return [];
        const data: InformantAccessGranted['data'] = { grantId: command.grantId, username: command.username, reason: command.reason, until: command.until };
        if (command.leadId !== undefined) data.leadId = command.leadId;
        return [{ type: 'informant.access-granted', data }];
      }
      case 'RevokeInformantAccess': {
        requireText(command.reason, 'reason', 'reason-required', '撤销理由');
        const grant = state.grants[command.grantId];
        if (!grant) refuse('grant-not-found', '授权不存在', 'not-found');
        if (grant.revoked) return [];
        return [{ type: 'informant.access-revoked', data: { grantId: grant.grantId, username: grant.username, reason: command.reason } }];
      }
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'informant.access-granted':
        return { grants: { ...state.grants, [event.data.grantId]: { ...event.data, revoked: false } } };
      case 'informant.access-revoked': {
        const g = state.grants[event.data.grantId];
        return g ? { grants: { ...state.grants, [g.grantId]: { ...g, revoked: true } } } : state;
      }
    }
  },
};

/** The grant that lets `username` read the informant of `leadId` today, if any (a lead-specific one first). */
export function activeInformantGrant(state: InformantGrantsState, username: string, leadId: string, today: LocalDate): InformantGrant | undefined {
  const live = Object.values(state.grants).filter((g) => !g.revoked && g.username === username && g.until >= today && (g.leadId === undefined || g.leadId === leadId));
  return live.find((g) => g.leadId === leadId) ?? live[0];
}

export type RecordInformantView = WithContext<{ type: 'RecordInformantView'; leadId: string; grantId: string; reason: string }>;
export type EraseInformant = WithContext<{ type: 'EraseInformant'; leadId: string; reason: string }>;
export type InformantCustodyCommand = RecordInformantView | EraseInformant;

export interface InformantCustodyState {
  erased: boolean;
  views: number;
}

/** One lead's informant: each disclosure is recorded before it happens; after erasure nothing is. */
export const informantCustodyDecider: Decider<InformantCustodyCommand, InformantCustodyState, InformantViewed | InformantErased> = {
  initialState: { erased: false, views: 0 },
  decide(command, state) {
    assertOffice(command.ctx.actor);
    requireText(command.reason, 'reason', 'reason-required', command.type === 'EraseInformant' ? '销毁理由' : '查阅理由');
    if (state.erased) refuse('informant-erased', '该线索的举报人信息已销毁，无法恢复', 'conflict');
    switch (command.type) {
      case 'RecordInformantView':
        return [{ type: 'informant.viewed', data: { leadId: command.leadId, grantId: command.grantId, reason: command.reason } }];
      case 'EraseInformant':
        return [{ type: 'informant.erased', data: { leadId: command.leadId, reason: command.reason } }];
    }
  },
  evolve(state, event: InformantEvent) {
    switch (event.type) {
      case 'informant.viewed':
        return { ...state, views: state.views + 1 };
      case 'informant.erased':
        return { ...state, erased: true };
      default:
        return state;
    }
  },
};
