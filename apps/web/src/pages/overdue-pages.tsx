import { Button, Card, DatePicker, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { get, type Page } from '../api';
import { Link, useApp } from '../app-context';
import { LoadError, useLoad } from '../components/common';
import { OVERDUE_KINDS, label, shanghaiToday, type OverdueItem, type OverdueList as OverdueListPage } from '../model';

/** Where a follow-up's row leads: supervision items and cases by their ids; lead clocks to the lead. */
export function overdueLink(item: OverdueItem): string | undefined {
  if (item.kind === 'supervision-item') return `/supervision/${item.refId}`;
  if (item.kind === 'case-progress') return `/cases/${item.refId}`;
  if (item.ref.startsWith('LC-')) return `/leads?search=${encodeURIComponent(item.ref)}`;
  return undefined;
}

const PAGE_SIZE = 20;

/** The overdue items as of a day (optionally of one agency), paged by the API (a county has tens of thousands). */
export function OverdueList({ asOf, agency, reloadKey }: { asOf: string; agency?: string; reloadKey?: number }) {
  const [page, setPage] = useState(1);
  const [prev, setPrev] = useState({ asOf, agency });
  if (prev.asOf !== asOf || prev.agency !== agency) {
    // another day or agency: back to the first page
    setPrev({ asOf, agency });
    setPage(1);
  }
  const { data, loading, error, reload } = useLoad(
    () => get<OverdueListPage>('/api/follow-ups/overdue', { asOf, agency, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }).then((r) => r.data),
    [asOf, agency, page, reloadKey],
  );
  return (
    <>
      <LoadError error={error} onRetry={reload} />
      <OverdueTable items={data?.items ?? []} loading={loading} total={data?.total ?? 0} page={page} onPage={setPage} />
    </>
  );
}

export function OverdueTable({ items, loading, total, page, onPage }: { items: OverdueItem[]; loading?: boolean; total: number; page: number; onPage: (page: number) => void }) {
  const { agencyName } = useApp();
  return (
    <Table<OverdueItem>
      rowKey={(r) => `${r.kind}|${r.refId}`}
      size="middle"
      loading={loading}
      dataSource={items}
      pagination={{ current: page, pageSize: PAGE_SIZE, total, showSizeChanger: false, onChange: onPage, showTotal: (t) => `共 ${t} 项` }}
      scroll={{ x: 900 }}
      onRow={() => ({ style: { background: '#fff1f0' } })}
      locale={{ emptyText: '没有逾期事项' }}
      columns={[
        { title: '类别', dataIndex: 'kind', width: 130, render: (v: string) => label(OVERDUE_KINDS, v) },
        {
          title: '编号',
          dataIndex: 'ref',
          width: 130,
          render: (v: string, r) => {
            const to = overdueLink(r);
            return to ? <Link to={to}>{v}</Link> : v;
          },
        },
        { title: '事项', dataIndex: 'title', ellipsis: true },
        { title: '责任单位', dataIndex: 'agency', width: 150, render: (v: string) => agencyName(v) },
        { title: '时限', dataIndex: 'dueOn', width: 110 },
        {
          title: '逾期天数',
          dataIndex: 'daysOverdue',
          width: 110,
          render: (v: number) => (
            <Tag color="red" data-testid="overdue-days">
              逾期 {v} 天
            </Tag>
          ),
        },
      ]}
    />
  );
}

/** 逾期事项: every follow-up past its clock on a chosen day (the API computes it for any asOf date). */
export function OverduePage({ initial }: { initial: URLSearchParams }) {
  const { session, agencies } = useApp();
  const [asOf, setAsOf] = useState<Dayjs>(() => dayjs(initial.get('asOf') ?? shanghaiToday()));
  const [agency, setAgency] = useState<string | undefined>(initial.get('agency') ?? undefined);
  const day = asOf.format('YYYY-MM-DD');
  const [reloadKey, setReloadKey] = useState(0);
  return (
    <Card
      title="逾期未办事项"
      extra={
        <Space wrap>
          <span>截至</span>
          <DatePicker aria-label="截至日期" value={asOf} allowClear={false} onChange={(d) => d && setAsOf(d)} id="overdue-as-of" />
          {session.role !== 'agency' ? <Select aria-label="责任单位" placeholder="全部单位" allowClear value={agency} onChange={setAgency} options={agencies.map((a) => ({ value: a.agency, label: a.name }))} style={{ width: 200 }} /> : null}
          <Button onClick={() => setReloadKey((k) => k + 1)}>刷新</Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">按工作日历计算的各项时限（签收、接收、处置、办结、重大案件报告、督办事项），截至 {day} 已超过时限且未办结的事项。</Typography.Paragraph>
      <OverdueList asOf={day} agency={agency} reloadKey={reloadKey} />
    </Card>
  );
}

interface NotificationRow {
  notificationId: string;
  kind: string;
  subject: string;
  refId: string;
  ref: string;
  agency: string;
  title: string;
  step: string;
  level: number | null;
  toRole: string | null;
  dueOn: string;
  daysOverdue: number | null;
  createdOn: string;
}

/** 催办提醒: reminders before a due date and escalations after it, as the scheduler appended them. */
export function NotificationsPage() {
  const { agencyName } = useApp();
  const [kind, setKind] = useState<string>();
  const { data, loading, error, reload } = useLoad(() => get<Page<NotificationRow>>('/api/notifications', { kind, limit: 200 }).then((r) => r.data), [kind]);
  return (
    <Card
      title="催办提醒与升级督办"
      extra={
        <Space>
          <Select
            aria-label="类别"
            placeholder="全部"
            allowClear
            value={kind}
            onChange={setKind}
            style={{ width: 140 }}
            options={[
              { value: 'reminder', label: '到期催办' },
              { value: 'escalation', label: '逾期升级' },
            ]}
          />
          <Button onClick={reload}>刷新</Button>
        </Space>
      }
    >
      <LoadError error={error} onRetry={reload} />
      <Table<NotificationRow>
        rowKey="notificationId"
        size="middle"
        loading={loading}
        dataSource={data?.items ?? []}
        locale={{ emptyText: '暂无催办提醒' }}
        scroll={{ x: 900 }}
        columns={[
          { title: '日期', dataIndex: 'createdOn', width: 110 },
          { title: '类别', dataIndex: 'kind', width: 100, render: (v: string) => (v === 'escalation' ? <Tag color="red">逾期升级</Tag> : <Tag color="orange">到期催办</Tag>) },
          {
            title: '编号',
            dataIndex: 'ref',
            width: 130,
            render: (v: string, r) => (r.ref.startsWith('DB-') ? <Link to={`/supervision/${r.refId}`}>{v}</Link> : r.ref.startsWith('LC-') ? <Link to={`/leads/${r.refId}`}>{v}</Link> : v),
          },
          { title: '事项', dataIndex: 'title', ellipsis: true },
          { title: '责任单位', dataIndex: 'agency', width: 150, render: (v: string) => agencyName(v) },
          { title: '时限', dataIndex: 'dueOn', width: 110 },
          { title: '逾期天数', dataIndex: 'daysOverdue', width: 100, render: (v: number | null) => (v ? `${v} 天` : '—') },
        ]}
      />
    </Card>
  );
}
