import { Inject, Injectable } from '@nestjs/common';
import { DomainError, membershipAsOf, streams, type GroupEvent, type LocalDate, type Member } from '@coord/domain';
import { EVENT_STORE, type EventStore } from '@coord/event-store';
import { CachedStream } from '../infrastructure/cached-stream';

/**
 * The group's membership, folded from the small `group` stream. Agency codes in commands are checked
 * here: a well-formed code that is not a member on the date is a 422 naming the field.
 */
@Injectable()
export class AgencyDirectory {
  private readonly group: CachedStream<GroupEvent[]>;

  constructor(@Inject(EVENT_STORE) store: EventStore) {
    this.group = new CachedStream(store, streams.group(), (events) => events.map((e) => ({ type: e.type, data: e.data }) as GroupEvent));
  }

  events(): Promise<GroupEvent[]> {
    return this.group.get();
  }

  async membersOn(date: LocalDate): Promise<Member[]> {
    return membershipAsOf(await this.events(), date);
  }

  /** Names of every agency that was ever a member (labels for reports spanning years). */
  async names(): Promise<Record<string, string>> {
    const names: Record<string, string> = {};
    for (const e of await this.events()) if (e.type === 'group.member-joined') names[e.data.agency] = e.data.name;
    return names;
  }

  async assertMember(code: string, field: string, on: LocalDate): Promise<void> {
    const members = await this.membersOn(on);
    if (!members.some((m) => m.agency === code)) {
      throw new DomainError('unknown-agency', `“${code}”不是协调小组在 ${on} 的成员单位`, 'invalid', field);
    }
  }
}
