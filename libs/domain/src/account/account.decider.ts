import { LEADERSHIP_ROLES, type LeadershipRole } from '../shared/actor';
import type { AgencyCode } from '../shared/agency';
import type { Decider } from '../shared/decider';
import { refuse } from '../shared/domain-error';
import { assertOffice, requireText } from '../shared/guards';
import type { AccountCommand } from './account.commands';
import { ACCOUNT_ROLES, type AccountEvent, type AccountRole } from './account.events';

export interface AccountFacts {
  userId: string;
  username: string;
  role: AccountRole;
  agency?: AgencyCode;
  leadershipRole?: LeadershipRole;
  fullName?: string;
  unit?: string;
  /** second factor: absent, an enrolment awaiting its first code, or in force */
  totp?: 'pending' | 'enabled';
}

export type AccountState = { status: 'none' } | (AccountFacts & { status: 'active' }) | (AccountFacts & { status: 'disabled' });

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/;

export const accountDecider: Decider<AccountCommand, AccountState, AccountEvent> = {
  initialState: { status: 'none' },

  decide(command, state) {
    const { actor } = command.ctx;
    switch (command.type) {
      case 'CreateAccount': {
        // the office creates accounts; the system creates the first 'admin' office account on first start
        assertOffice(actor, { allowSystem: true });
        if (state.status !== 'none') refuse('account-exists', '用户名已被使用');
        if (!USERNAME.test(command.username ?? '')) refuse('username-invalid', '用户名须为 2–64 位字母、数字、点、下划线或连字符', 'invalid', 'username');
        if (!ACCOUNT_ROLES.includes(command.role)) refuse('role-invalid', '角色无效', 'invalid', 'role');
        // an agency user is scoped to exactly one agency; other roles see across agencies and have none
        if (command.role === 'agency' && !command.agency) refuse('account-agency-required', '成员单位用户须指定所属单位', 'invalid', 'agency');
        if (command.role !== 'agency' && command.agency !== undefined) refuse('account-agency-not-allowed', '只有成员单位用户可以指定所属单位', 'invalid', 'agency');
        // a title (组长 / 副组长 / 阅知) only means something for leadership; elsewhere it is a mistake, not noise
        if (command.leadershipRole !== undefined) {
          if (command.role !== 'leadership') refuse('leadership-role-not-allowed', '只有领导用户可以指定领导职务', 'invalid', 'leadershipRole');
          if (!LEADERSHIP_ROLES.includes(command.leadershipRole)) refuse('leadership-role-invalid', '领导职务无效', 'invalid', 'leadershipRole');
        }
        // 回避 compares name AND unit: half a person identity would match nobody (or, trimmed, everybody's blanks)
        const fullName = command.fullName?.trim();
        const unit = command.unit?.trim();
        if (command.fullName !== undefined && !fullName) refuse('full-name-blank', '姓名不能为空', 'invalid', 'fullName');
        if (command.unit !== undefined && !unit) refuse('unit-blank', '工作单位不能为空', 'invalid', 'unit');
        if ((fullName === undefined) !== (unit === undefined)) refuse('person-incomplete', '姓名与工作单位须同时填写', 'invalid', fullName === undefined ? 'fullName' : 'unit');
        requireText(command.passwordHash, 'passwordHash', 'password-required', '密码');
        return [
          {
            type: 'account.created',
            data: {
              userId: command.userId,
              username: command.username,
              role: command.role,
              ...(command.agency !== undefined ? { agency: command.agency } : {}),
              ...(command.leadershipRole !== undefined ? { leadershipRole: command.leadershipRole } : {}),
              ...(fullName !== undefined && unit !== undefined ? { fullName, unit } : {}),
            },
            confidential: { passwordHash: command.passwordHash },
          },
        ];
      }

      case 'ChangePassword': {
        if (state.status === 'none') return refuse('account-not-found', '用户不存在', 'not-found');
        // everyone may change their own password (readers included); the office may reset anyone's
        if (actor.userId !== state.userId) assertOffice(actor, { allowSystem: true });
        if (state.status === 'disabled') refuse('account-disabled', '用户已停用');
        requireText(command.passwordHash, 'passwordHash', 'password-required', '密码');
        return [{ type: 'account.password-changed', data: { userId: state.userId }, confidential: { passwordHash: command.passwordHash } }];
      }

      case 'DisableAccount': {
        assertOffice(actor, { allowSystem: true });
        if (state.status === 'none') return refuse('account-not-found', '用户不存在', 'not-found');
        if (state.status === 'disabled') refuse('account-disabled', '用户已停用');
        // the office must not lock itself out with its own session
        if (actor.userId === state.userId) refuse('cannot-disable-self', '不能停用自己的账号');
        requireText(command.reason, 'reason', 'reason-required', '停用理由');
        return [{ type: 'account.disabled', data: { userId: state.userId, reason: command.reason } }];
      }

      case 'StartTotpEnrolment': {
        if (state.status === 'none') return refuse('account-not-found', '用户不存在', 'not-found');
        // a second factor is personal: only the account's own user enrols (readers included — an
        // enforced role must be able to enrol); the office can only remove one (ResetTotp)
        if (actor.userId !== state.userId) refuse('own-account-only', '只能为自己的账号绑定动态口令', 'forbidden');
        if (state.status === 'disabled') refuse('account-disabled', '用户已停用');
        if (state.totp === 'enabled') refuse('totp-already-enabled', '已绑定动态口令；如需更换，请办公室先解除绑定');
        requireText(command.totpSecret, 'totpSecret', 'totp-secret-required', '动态口令密钥');
        return [{ type: 'account.totp-enrolment-started', data: { userId: state.userId }, confidential: { totpSecret: command.totpSecret } }];
      }

      case 'ConfirmTotpEnrolment': {
        if (state.status === 'none') return refuse('account-not-found', '用户不存在', 'not-found');
        if (actor.userId !== state.userId) refuse('own-account-only', '只能为自己的账号绑定动态口令', 'forbidden');
        if (state.status === 'disabled') refuse('account-disabled', '用户已停用');
        if (state.totp === 'enabled') refuse('totp-already-enabled', '已绑定动态口令；如需更换，请办公室先解除绑定');
        if (state.totp !== 'pending') refuse('totp-enrolment-not-started', '请先开始绑定动态口令');
        return [{ type: 'account.totp-enabled', data: { userId: state.userId } }];
      }

      case 'ResetTotp': {
        assertOffice(actor, { allowSystem: true });
        if (state.status === 'none') return refuse('account-not-found', '用户不存在', 'not-found');
        if (!state.totp) refuse('totp-not-enabled', '该账号未绑定动态口令');
        requireText(command.reason, 'reason', 'reason-required', '解除理由');
        return [{ type: 'account.totp-reset', data: { userId: state.userId, reason: command.reason } }];
      }

      default: {
        const unhandled: never = command;
        throw new Error(`unhandled account command ${JSON.stringify(unhandled)}`);
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'account.created': {
        const d = event.data;
        return {
          status: 'active',
          userId: d.userId,
          username: d.username,
          role: d.role,
          ...(d.agency !== undefined ? { agency: d.agency } : {}),
          ...(d.leadershipRole !== undefined ? { leadershipRole: d.leadershipRole } : {}),
          ...(d.fullName !== undefined && d.unit !== undefined ? { fullName: d.fullName, unit: d.unit } : {}),
        };
      }
      case 'account.password-changed':
        return state;
      case 'account.disabled':
        return state.status === 'none' ? state : { ...state, status: 'disabled' };
      case 'account.totp-enrolment-started':
        // a restarted enrolment replaces a pending secret; it never replaces an enabled one (refused above)
        return state.status === 'none' ? state : { ...state, totp: 'pending' };
      case 'account.totp-enabled':
        return state.status === 'none' ? state : { ...state, totp: 'enabled' };
      case 'account.totp-reset': {
        if (state.status === 'none') return state;
        const { totp: _removed, ...rest } = state;
        return rest;
      }
      default: {
        const unhandled: never = event;
        return unhandled;
      }
    }
  },
};
