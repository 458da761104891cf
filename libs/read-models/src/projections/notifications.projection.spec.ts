import { projectInMemory } from '../projection';
import { EventFeed } from '../testing/event-feed';
import { notificationsProjection } from './notifications.projection';

describe('notifications projection (催办通知)', () => {
  it('one zh-CN row per reminder or escalation event, keyed by stream and version (a replay writes the same rows)', () => {
    const f = new EventFeed(10);
    const events = [
      f.next('supervision.reminder-sent', { itemId: 'S1', step: 'before-3', dueOn: '2026-04-30', agency: 'court', ref: 'DB-2026-0001', title: '整改补贴问题', remindedOn: '2026-04-27' }),
      f.next('supervision.escalated', { itemId: 'S1', step: 'after-5', level: 2, toRole: 'group-leader', daysOverdue: 5, dueOn: '2026-04-30', agency: 'court', ref: 'DB-2026-0001', title: '整改补贴问题', escalatedOn: '2026-05-05' }),
      f.next('lead.transfer-reminder-sent', { leadId: 'L1', transferId: 'T1', clock: 'acknowledgement', step: 'before-1', dueOn: '2026-03-09', agency: 'public-security', ref: 'LC-2026-0042', title: '王某（县某局局长）', remindedOn: '2026-03-06' }),
      f.next('lead.disposition-escalated', { leadId: 'L2', method: 'talk-inquiry', step: 'after-1', level: 1, toRole: 'group-leader', daysOverdue: 1, dueOn: '2026-04-13', agency: 'audit-bureau', ref: 'LC-2026-0043', title: '李某（县某局科长）', escalatedOn: '2026-04-14' }),
    ];
    expect(projectInMemory(notificationsProjection, events)).toEqual([
      {
        notificationId: 'lead-L1@1', kind: 'reminder', subject: 'transfer-acknowledgement', refId: 'L1', ref: 'LC-2026-0042', agency: 'public-security',
        title: '线索LC-2026-0042（王某（县某局局长））的移送请于2026-03-09前签收', step: 'before-1', level: null, toRole: null, dueOn: '2026-03-09', daysOverdue: null, createdOn: '2026-03-06', position: 13,
      },
      {
        notificationId: 'lead-L2@1', kind: 'escalation', subject: 'disposition-conclusion', refId: 'L2', ref: 'LC-2026-0043', agency: 'audit-bureau',
        title: '线索LC-2026-0043（李某（县某局科长））的谈话函询办结已逾期1天（期限2026-04-13），已升级报协调小组组长督办', step: 'after-1', level: 1, toRole: 'group-leader', dueOn: '2026-04-13', daysOverdue: 1, createdOn: '2026-04-14', position: 14,
      },
      {
        notificationId: 'supervision-S1@1', kind: 'reminder', subject: 'supervision-item', refId: 'S1', ref: 'DB-2026-0001', agency: 'court',
        title: '督办事项DB-2026-0001「整改补贴问题」将于2026-04-30到期，请抓紧办理并报送办理结果', step: 'before-3', level: null, toRole: null, dueOn: '2026-04-30', daysOverdue: null, createdOn: '2026-04-27', position: 11,
      },
      {
        notificationId: 'supervision-S1@2', kind: 'escalation', subject: 'supervision-item', refId: 'S1', ref: 'DB-2026-0001', agency: 'court',
        title: '督办事项DB-2026-0001「整改补贴问题」已逾期5天（期限2026-04-30），已升级报协调小组组长督办', step: 'after-5', level: 2, toRole: 'group-leader', dueOn: '2026-04-30', daysOverdue: 5, createdOn: '2026-05-05', position: 12,
      },
    ]);
  });
});
