import { Card, DatePicker, Empty, Space, Tag, Timeline, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { get } from '../api';
import { useApp } from '../app-context';
import {
  CASE_STAGES,
  DISPOSITION_METHODS,
  FIELD_LABELS,
  HIDDEN_FIELDS,
  LEAD_SOURCES,
  RECOVERY_CATEGORIES,
  ROLES,
  SANCTION_KINDS,
  SUPERVISION_ORIGINS,
  formatTime,
  yuan,
  type History,
} from '../model';
import { LoadError, useLoad } from './common';

const VALUE_LABELS: Record<string, Record<string, string>> = {
  source: LEAD_SOURCES,
  method: DISPOSITION_METHODS,
  stage: CASE_STAGES,
  category: RECOVERY_CATEGORIES,
  kind: SANCTION_KINDS,
  origin: SUPERVISION_ORIGINS,
  outcome: { accepted: '通过', 'sent-back': '退回重办' },
  position: { agree: '同意', disagree: '不同意', defer: '缓议' },
};
const AGENCY_FIELDS = new Set(['reportingAgency', 'toAgency', 'fromAgency', 'leadAgency', 'agency', 'assigneeAgency', 'principalLeader']);
const AGENCY_LIST_FIELDS = new Set(['attendees', 'expectedMembers']);

function Value({ field, value }: { field: string; value: unknown }) {
  const { agencyName } = useApp();
  if (value === null || value === undefined || value === '') return <>—</>;
  if (typeof value === 'boolean') return <>{value ? '是' : '否'}</>;
  if (typeof value === 'number' && field.endsWith('Fen')) return <>{yuan(value)}</>;
  if (typeof value === 'string' && AGENCY_FIELDS.has(field)) return <>{agencyName(value)}</>;
  if (field === 'coAgencies' && Array.isArray(value)) return <>{value.length ? value.map((a) => agencyName(String(a))).join('、') : '无'}</>;
  if (typeof value === 'string' && VALUE_LABELS[field]) return <>{VALUE_LABELS[field][value] ?? value}</>;
  if ((field === 'subject' || field === 'subjects') && typeof value === 'object') {
    const list = (Array.isArray(value) ? value : [value]) as { name?: string; post?: string; unit?: string }[];
    return <>{list.map((s) => `${s.name ?? ''}（${[s.unit, s.post].filter(Boolean).join('')}）`).join('、')}</>;
  }
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object')) {
    // attendance and distribution lists: agency codes become names, other lists are joined as written
    return <>{value.length ? value.map((v) => (AGENCY_LIST_FIELDS.has(field) ? agencyName(String(v)) : String(v))).join('、') : '无'}</>;
  }
  if (typeof value === 'object') {
    // nested data that has no dedicated rendering: shown as "key：value" pairs, never as raw JSON
    const entries = Object.entries(value as Record<string, unknown>).filter(([k]) => !HIDDEN_FIELDS.has(k));
    return (
      <>
        {entries.map(([k, v], i) => (
          <span key={k}>
            {i > 0 ? '；' : ''}
            {FIELD_LABELS[k] ?? k}：{typeof v === 'object' ? '…' : String(v)}
          </span>
        ))}
      </>
    );
  }
  return <>{String(value)}</>;
}

/**
 * A record's history as people read it: the API's zh-CN step label, who (account, role, agency), when,
 * and the step's details with Chinese field names. "As of" shows the record as it stood at the end of a
 * chosen day: the steps after it are left out (the history is append-only, so nothing earlier changes).
 */
export function RecordTimeline({ path, refreshKey }: { path: string; refreshKey?: unknown }) {
  const { agencyName } = useApp();
  const [asOf, setAsOf] = useState<Dayjs | null>(null);
  const { data, error, reload, loading } = useLoad(() => get<History>(path, undefined, { fresh: false }).then((r) => r.data), [path, refreshKey]);
  const events = (data?.events ?? []).filter((e) => !asOf || dayjs(e.occurredAt).isBefore(asOf.endOf('day')));
  return (
    <Card
      title="办理过程（时间线）"
      size="small"
      data-testid="timeline"
      loading={loading && !data}
      extra={
        <Space>
          <span>截至</span>
          <DatePicker aria-label="截至日期" value={asOf} onChange={setAsOf} placeholder="当前" allowClear />
        </Space>
      }
    >
      <LoadError error={error} onRetry={reload} />
      {events.length === 0 ? (
        <Empty description="该日期前没有记录" />
      ) : (
        <Timeline
          items={events.map((e) => ({
            key: e.version,
            content: (
              <div data-testid="timeline-entry">
                <Space wrap>
                  <Typography.Text strong>{e.label}</Typography.Text>
                  <Tag>{formatTime(e.occurredAt)}</Tag>
                  <span>
                    {e.actor.username}（{ROLES[e.actor.role] ?? e.actor.role}
                    {e.actor.agency ? `，${agencyName(e.actor.agency)}` : ''}）
                  </span>
                  <Typography.Text type="secondary">第 {e.version} 版</Typography.Text>
                </Space>
                <div style={{ color: '#555', marginTop: 4 }}>
                  {Object.entries(e.data)
                    .filter(([k]) => !HIDDEN_FIELDS.has(k))
                    .map(([k, v]) => (
                      <div key={k}>
                        <Typography.Text type="secondary">{FIELD_LABELS[k] ?? k}：</Typography.Text>
                        <Value field={k} value={v} />
                      </div>
                    ))}
                </div>
              </div>
            ),
          }))}
        />
      )}
    </Card>
  );
}
