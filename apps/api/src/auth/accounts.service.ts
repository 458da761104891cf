import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { accountDecider, DomainError, shanghaiDateOf, streams, type AccountRole, type Actor, type LeadershipRole } from '@coord/domain';
import { CommandHandler, EVENT_STORE, WrongExpectedVersionError, type CommandResult, type EventStore, type StoredEvent } from '@coord/event-store';
import { DUMMY_HASH, hashPassword, verifyPassword } from './password-hasher';
import { assertPasswordPolicy } from './password-policy';

export interface AccountView {
  userId: string;
  username: string;
  role: AccountRole;
  agency?: string;
  leadershipRole?: LeadershipRole;
  /** the person behind the account, for 回避 (see authorization/recusal.ts) */
  fullName?: string;
  unit?: string;
  active: boolean;
  passwordHash: string;
}

/** The system itself, for steps no person takes (seeding the group, the first admin). */
export const SYSTEM_ACTOR: Actor = { userId: '00000000-0000-5000-8000-000000000000', username: 'system', role: 'system' };

/**
 * Accounts are event-sourced (`account-<username>` streams) so every change to an account is on record;
 * the password hash lives only in the events' confidential part.
 */
@Injectable()
export class AccountsService {
  private readonly logger = new Logger('accounts');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly handler: CommandHandler,
  ) {}

  async find(username: string): Promise<AccountView | undefined> {
    const events = await this.store.readStream(streams.account(username));
    return events.length ? foldAccount(events) : undefined;
  }

  async isActive(username: string): Promise<boolean> {
    return (await this.find(username))?.active ?? false;
  }

  /** Verifies against a dummy hash when the user is unknown so response time does not reveal usernames. */
  async authenticate(username: string, password: string): Promise<AccountView | undefined> {
    const account = await this.find(username);
    const ok = await verifyPassword(password, account?.passwordHash ?? DUMMY_HASH);
    return ok && account?.active ? account : undefined;
  }

  async create(
    input: { username: string; password: string; role: AccountRole; agency?: string; leadershipRole?: LeadershipRole; fullName?: string; unit?: string },
    actor: Actor,
    meta: { commandId: string; correlationId?: string; idempotencyKeyGiven: boolean },
  ): Promise<CommandResult> {
    const now = new Date();
    const ctx = { actor, at: now.toISOString(), today: shanghaiDateOf(now) };
    // the policy binds people choosing passwords; the first admin's configured password is the operator's
    if (actor.role !== 'system') assertPasswordPolicy(input.password, input.username);
    const passwordHash = await hashPassword(input.password);
    return this.handler.handle(
      accountDecider,
      streams.account(input.username),
      {
        type: 'CreateAccount',
        userId: randomUUID(),
        username: input.username,
        role: input.role,
        agency: input.agency,
        ...(input.leadershipRole !== undefined ? { leadershipRole: input.leadershipRole } : {}),
        ...(input.fullName !== undefined ? { fullName: input.fullName } : {}),
        ...(input.unit !== undefined ? { unit: input.unit } : {}),
        passwordHash,
        ctx,
      },
      { ...meta, ctx },
    );
  }

  /**
   * First start: an `admin` office account with COORD_ADMIN_PASSWORD, or a generated password that is
   * returned once for the caller to print (never logged).
   */
  async ensureAdmin(configured?: string): Promise<{ created: boolean; generatedPassword?: string }> {
    if (await this.find('admin')) return { created: false };
    const password = configured ?? randomBytes(12).toString('base64url');
    try {
      await this.create({ username: 'admin', password, role: 'office' }, SYSTEM_ACTOR, { commandId: randomUUID(), idempotencyKeyGiven: false });
    } catch (e) {
      // Two api replicas starting on an empty store race for the admin: the loser's append conflicts
      // (or its decider sees the account). That is not a failure to start.
      const lostRace = e instanceof WrongExpectedVersionError || (e instanceof DomainError && e.code === 'account-exists');
      if (!lostRace) throw e;
    }
    // Only the process whose password is the stored one created the admin — and may print it.
    const stored = await this.find('admin');
    if (!stored || !(await verifyPassword(password, stored.passwordHash))) return { created: false };
    this.logger.log('created the initial admin account');
    return { created: true, ...(configured ? {} : { generatedPassword: password }) };
  }
}

export function foldAccount(events: StoredEvent[]): AccountView {
  let view: AccountView | undefined;
  for (const e of events) {
    const data = e.data as { userId: string; username: string; role: AccountRole; agency?: string; leadershipRole?: LeadershipRole; fullName?: string; unit?: string };
    const hash = (e.confidential as { passwordHash?: string } | null | undefined)?.passwordHash;
    if (e.type === 'account.created') view = { ...data, active: true, passwordHash: hash ?? '' };
    else if (view && e.type === 'account.password-changed') view = { ...view, passwordHash: hash ?? view.passwordHash };
    else if (view && e.type === 'account.disabled') view = { ...view, active: false };
  }
  if (!view) throw new Error('account stream without account.created');
  return view;
}
