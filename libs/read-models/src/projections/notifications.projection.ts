import { NotificationEntity } from '../entities/notification.entity';
import { known, type ProjectedEvent, type RowChanges, type RowProjection } from '../projection';

type Row = NotificationEntity;

const idOf = (e: ProjectedEvent) => `${e.streamId}@${e.streamVersion}`;

const METHOD_NAMES: Record<string, string> = { 'talk-inquiry': '谈话函询', 'preliminary-verification': '初步核实' };
const TRANSFER_STEP: Record<string, string> = { acknowledgement: '签收', decision: '办理（接收、转送或退回）' };

const escalatedText = (days: number, dueOn: string) => `已逾期${days}天（期限${dueOn}），已升级报协调小组组长督办`;

/** zh-CN text of one notification; the lead's subject line never carries the informant (see the decider). */
function textOf(event: ProjectedEvent): Omit<Row, 'notificationId' | 'position'> | undefined {
  const e = known(event);
  switch (e.type) {
    case 'supervision.reminder-sent':
    case 'supervision.escalated': {
      const d = e.data;
      const head = `督办事项${d.ref}「${d.title}」`;
      return e.type === 'supervision.escalated'
        ? { kind: 'escalation', subject: 'supervision-item', refId: d.itemId, ref: d.ref, agency: d.agency, title: `${head}${escalatedText(e.data.daysOverdue, d.dueOn)}`, step: d.step, level: e.data.level, toRole: e.data.toRole, dueOn: d.dueOn, daysOverdue: e.data.daysOverdue, createdOn: e.data.escalatedOn }
        : { kind: 'reminder', subject: 'supervision-item', refId: d.itemId, ref: d.ref, agency: d.agency, title: `${head}将于${d.dueOn}到期，请抓紧办理并报送办理结果`, step: d.step, level: null, toRole: null, dueOn: d.dueOn, daysOverdue: null, createdOn: e.data.remindedOn };
    }
    case 'lead.transfer-reminder-sent':
    case 'lead.transfer-escalated': {
      const d = e.data;
      const head = `线索${d.ref}（${d.title}）的移送`;
      const subject = `transfer-${d.clock}`;
      return e.type === 'lead.transfer-escalated'
        ? { kind: 'escalation', subject, refId: d.leadId, ref: d.ref, agency: d.agency, title: `${head}${TRANSFER_STEP[d.clock] ?? d.clock}${escalatedText(e.data.daysOverdue, d.dueOn)}`, step: d.step, level: e.data.level, toRole: e.data.toRole, dueOn: d.dueOn, daysOverdue: e.data.daysOverdue, createdOn: e.data.escalatedOn }
        : { kind: 'reminder', subject, refId: d.leadId, ref: d.ref, agency: d.agency, title: `${head}请于${d.dueOn}前${TRANSFER_STEP[d.clock] ?? d.clock}`, step: d.step, level: null, toRole: null, dueOn: d.dueOn, daysOverdue: null, createdOn: e.data.remindedOn };
    }
    case 'lead.disposition-reminder-sent':
    case 'lead.disposition-escalated': {
      const d = e.data;
      const head = `线索${d.ref}（${d.title}）的${METHOD_NAMES[d.method] ?? d.method}`;
      return e.type === 'lead.disposition-escalated'
        ? { kind: 'escalation', subject: 'disposition-conclusion', refId: d.leadId, ref: d.ref, agency: d.agency, title: `${head}办结${escalatedText(e.data.daysOverdue, d.dueOn)}`, step: d.step, level: e.data.level, toRole: e.data.toRole, dueOn: d.dueOn, daysOverdue: e.data.daysOverdue, createdOn: e.data.escalatedOn }
        : { kind: 'reminder', subject: 'disposition-conclusion', refId: d.leadId, ref: d.ref, agency: d.agency, title: `${head}请于${d.dueOn}前办结`, step: d.step, level: null, toRole: null, dueOn: d.dueOn, daysOverdue: null, createdOn: e.data.remindedOn };
    }
    default:
      return undefined;
  }
}

function apply(rows: ReadonlyMap<string, Row>, event: ProjectedEvent): RowChanges<Row> | undefined {
  const id = idOf(event);
  if (rows.has(id)) return undefined;
  const text = textOf(event);
  return text ? new Map([[id, { notificationId: id, ...text, position: event.position }]]) : undefined;
}

/** 催办通知: the per-agency notification feed behind GET /api/notifications. One row per reminder event. */
export const notificationsProjection: RowProjection<Row> = {
  name: 'notifications',
  entity: NotificationEntity,
  primaryKey: 'notificationId',
  handles: [
    'supervision.reminder-sent',
    'supervision.escalated',
    'lead.transfer-reminder-sent',
    'lead.transfer-escalated',
    'lead.disposition-reminder-sent',
    'lead.disposition-escalated',
  ],
  keys: (e) => [idOf(e)],
  apply,
};
