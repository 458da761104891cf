import { Badge, Button, Card, Col, DatePicker, Descriptions, Empty, Form, Input, Row, Segmented, Select, Space, Table, Tag, Typography, type FormInstance } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState, type HTMLAttributes } from 'react';
import { command, get, getAll } from '../api';
import { Link, useApp } from '../app-context';
import { CommandModal } from '../components/command-modal';
import { LoadError, useCommandRunner, useLoad } from '../components/common';
import { RecordTimeline } from '../components/timeline';
import { SUPERVISION_ORIGINS, SUPERVISION_STATUSES, daysBetween, isOverdue, label, shanghaiToday, type SupervisionRow } from '../model';

const options = (map: Record<string, string>) => Object.entries(map).map(([value, l]) => ({ value, label: l }));
const date = (d: Dayjs | null | undefined): string | undefined => (d ? d.format('YYYY-MM-DD') : undefined);
const OVERDUE_STYLE = { background: '#fff1f0', borderColor: '#ff4d4f' };

function OverdueTag({ item, asOf }: { item: SupervisionRow; asOf: string }) {
  if (!isOverdue(item, asOf)) return null;
  return (
    <Tag color="red" data-testid="overdue-tag">
      逾期 {daysBetween(item.dueOn, asOf)} 天
    </Tag>
  );
}

/**
 * 督办看板: every item by status (columns) or by agency (rows × status counts). An open item whose due
 * date is before the viewing date is overdue and shown red; the viewing date defaults to today and can
 * be moved ("as of") to see what will be overdue — the same rule the API's overdue list applies.
 */
export function SupervisionBoardPage() {
  const { session, agencyName, agencies, navigate } = useApp();
  const [asOfDay, setAsOfDay] = useState<Dayjs>(() => dayjs(shanghaiToday()));
  const [view, setView] = useState<'status' | 'agency'>('status');
  const [creating, setCreating] = useState(false);
  const asOf = asOfDay.format('YYYY-MM-DD');
  const { data, loading, error, reload } = useLoad(() => getAll<SupervisionRow>('/api/supervision-items'), []);
  const { run } = useCommandRunner(reload);
  const items = data ?? [];
  const overdueCount = items.filter((i) => isOverdue(i, asOf)).length;
  const byAgency = [...new Set(items.map((i) => i.assigneeAgency))].sort().map((agency) => {
    const mine = items.filter((i) => i.assigneeAgency === agency);
    return {
      agency,
      total: mine.length,
      overdue: mine.filter((i) => isOverdue(i, asOf)).length,
      ...Object.fromEntries(Object.keys(SUPERVISION_STATUSES).map((s) => [s, mine.filter((i) => i.status === s).length])),
    } as { agency: string; total: number; overdue: number } & Record<string, number>;
  });
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <LoadError error={error} onRetry={reload} />
      <Card
        title={session.role === 'agency' ? '我的督办事项' : '督办看板'}
        extra={
          <Space wrap>
            <span>查看日期</span>
            <DatePicker aria-label="查看日期" value={asOfDay} allowClear={false} onChange={(d) => d && setAsOfDay(d)} id="board-as-of" />
            <Segmented
              aria-label="分组方式"
              value={view}
              onChange={(v) => setView(v as 'status' | 'agency')}
              options={[
                { value: 'status', label: '按状态' },
                { value: 'agency', label: '按单位' },
              ]}
            />
            {session.role === 'office' ? (
              <Button type="primary" onClick={() => setCreating(true)}>
                交办督办事项
              </Button>
            ) : null}
            <Button onClick={reload}>刷新</Button>
          </Space>
        }
      >
        <Typography.Paragraph>
          共 {items.length} 项，截至 {asOf} 逾期{' '}
          <Typography.Text type="danger" strong data-testid="board-overdue-count">
            {overdueCount}
          </Typography.Text>{' '}
          项（办结时限早于查看日期且未销号的事项以红色标出）。
        </Typography.Paragraph>
        {view === 'status' ? (
          <Row gutter={[12, 12]}>
            {Object.entries(SUPERVISION_STATUSES).map(([status, name]) => {
              const list = items.filter((i) => i.status === status).sort((a, b) => a.dueOn.localeCompare(b.dueOn));
              return (
                <Col key={status} xs={24} md={12} xl={6}>
                  <Card size="small" title={<Badge count={list.length} showZero color="#8c8c8c" offset={[12, 0]}>{name}</Badge>} loading={loading} styles={{ body: { maxHeight: 480, overflow: 'auto', padding: 8 } }} data-testid={`board-column-${status}`}>
                    {list.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="无" /> : null}
                    {list.map((i) => (
                      <Card
                        key={i.itemId}
                        size="small"
                        style={{ marginBottom: 8, ...(isOverdue(i, asOf) ? OVERDUE_STYLE : {}) }}
                        data-testid="board-item"
                        data-overdue={isOverdue(i, asOf) ? 'true' : 'false'}
                        hoverable
                        onClick={() => navigate(`/supervision/${i.itemId}`)}
                      >
                        <div>
                          <Link to={`/supervision/${i.itemId}`}>{i.itemNo}</Link> <OverdueTag item={i} asOf={asOf} />
                        </div>
                        <div>{i.title}</div>
                        <Typography.Text type="secondary">
                          {agencyName(i.assigneeAgency)} · 时限 {i.dueOn}
                        </Typography.Text>
                      </Card>
                    ))}
                  </Card>
                </Col>
              );
            })}
          </Row>
        ) : (
          <Table
            rowKey="agency"
            size="middle"
            loading={loading}
            dataSource={byAgency}
            pagination={false}
            rowClassName={(r) => (r.overdue > 0 ? 'row-overdue' : '')}
            onRow={(r) => ({ style: r.overdue > 0 ? { background: '#fff1f0' } : undefined })}
            columns={[
              { title: '承办单位', dataIndex: 'agency', render: (v: string) => agencyName(v) },
              ...Object.entries(SUPERVISION_STATUSES).map(([s, n]) => ({ title: n, dataIndex: s, width: 100 })),
              { title: '合计', dataIndex: 'total', width: 80 },
              { title: '逾期', dataIndex: 'overdue', width: 80, render: (v: number) => (v > 0 ? <Typography.Text type="danger" strong>{v}</Typography.Text> : 0) },
            ]}
          />
        )}
      </Card>
      <Card title="全部督办事项" size="small">
        <Table<SupervisionRow>
          rowKey="itemId"
          size="small"
          loading={loading}
          dataSource={items}
          pagination={{ pageSize: 20 }}
          scroll={{ x: 900 }}
          onRow={(r) => ({ style: isOverdue(r, asOf) ? { background: '#fff1f0' } : undefined, 'data-overdue': isOverdue(r, asOf) ? 'true' : 'false' }) as HTMLAttributes<HTMLElement>}
          columns={[
            { title: '督办编号', dataIndex: 'itemNo', width: 130, render: (v: string, r) => <Link to={`/supervision/${r.itemId}`}>{v}</Link> },
            { title: '事项', dataIndex: 'title', ellipsis: true },
            { title: '来源', dataIndex: 'origin', width: 120, render: (v: string) => label(SUPERVISION_ORIGINS, v) },
            { title: '承办单位', dataIndex: 'assigneeAgency', width: 140, render: (v: string) => agencyName(v) },
            { title: '办结时限', dataIndex: 'dueOn', width: 170, render: (v: string, r) => <Space size={4}>{v}<OverdueTag item={r} asOf={asOf} /></Space> },
            { title: '状态', dataIndex: 'status', width: 100, render: (v: string) => label(SUPERVISION_STATUSES, v) },
          ]}
        />
      </Card>
      <CommandModal<{ title: string; assigneeAgency: string; dueOn?: Dayjs; origin: string }>
        title="交办督办事项"
        open={creating}
        onClose={() => setCreating(false)}
        initialValues={{ origin: 'office' }}
        submit={async (v, form) => {
          const r = await run(() => command('POST', '/api/supervision-items', { title: v.title, assigneeAgency: v.assigneeAgency, dueOn: date(v.dueOn), origin: v.origin }), { form, success: '督办事项已交办' });
          if (r) reload();
          return !!r;
        }}
      >
        <Form.Item label="督办事项" name="title" required>
          <Input />
        </Form.Item>
        <Form.Item label="承办单位" name="assigneeAgency" required>
          <Select options={agencies.map((a) => ({ value: a.agency, label: a.name }))} aria-label="承办单位" />
        </Form.Item>
        <Form.Item label="办结时限" name="dueOn" required>
          <DatePicker style={{ width: '100%' }} aria-label="办结时限" />
        </Form.Item>
        <Form.Item label="督办来源" name="origin" required>
          <Select options={options(SUPERVISION_ORIGINS)} aria-label="督办来源" />
        </Form.Item>
      </CommandModal>
    </Space>
  );
}

type ModalKind = 'progress' | 'extension' | 'refuse' | 'result' | 'review' | undefined;

export function SupervisionDetailPage({ id }: { id: string }) {
  const { session, agencyName } = useApp();
  const { data, error, reload, loading } = useLoad(() => get<SupervisionRow>(`/api/supervision-items/${id}`), [id]);
  const { run, conflict } = useCommandRunner(reload);
  const [modal, setModal] = useState<ModalKind>();
  useEffect(() => {
    if (conflict) setModal(undefined);
  }, [conflict]);
  if (error) return <LoadError error={error} onRetry={reload} />;
  if (!data) return <Card loading={loading} />;
  const s = data.data;
  const today = shanghaiToday();
  const assignee = session.agency === s.assigneeAgency;
  const office = session.role === 'office';
  const act = async (path: string, body: unknown, success: string, form?: FormInstance): Promise<boolean> => {
    const r = await run(() => command('POST', `/api/supervision-items/${id}${path}`, body, data.etag), { form, success });
    if (r) reload();
    return !!r;
  };
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      {conflict}
      <Card
        title={
          <Space>
            <span>
              督办 {s.itemNo} {s.title}
            </span>
            <Tag color="blue">{label(SUPERVISION_STATUSES, s.status)}</Tag>
            <OverdueTag item={s} asOf={today} />
          </Space>
        }
        extra={<Typography.Text type="secondary">版本 {s.version}</Typography.Text>}
        style={isOverdue(s, today) ? { borderColor: '#ff4d4f' } : undefined}
      >
        <Descriptions column={{ xs: 1, md: 2, xl: 3 }} size="small" bordered>
          <Descriptions.Item label="承办单位">{agencyName(s.assigneeAgency)}</Descriptions.Item>
          <Descriptions.Item label="督办来源">{label(SUPERVISION_ORIGINS, s.origin)}</Descriptions.Item>
          <Descriptions.Item label="交办日期">{s.openedOn}</Descriptions.Item>
          <Descriptions.Item label="办结时限">{s.dueOn}</Descriptions.Item>
          <Descriptions.Item label="延期次数">{s.extensionCount}</Descriptions.Item>
          <Descriptions.Item label="最近进展">{s.lastProgressOn ?? '—'}</Descriptions.Item>
          {s.pendingExtensionRequestId ? <Descriptions.Item label="待批延期">申请延至 {s.pendingExtensionDueOn}</Descriptions.Item> : null}
          <Descriptions.Item label="办理结果" span={3}>
            {s.resultSummary ? `${s.resultSummary}（${s.resultReportedOn} 报送）` : '—'}
          </Descriptions.Item>
          {s.caseId ? (
            <Descriptions.Item label="关联案件">
              <Link to={`/cases/${s.caseId}`}>查看案件</Link>
            </Descriptions.Item>
          ) : null}
          {s.leadId ? (
            <Descriptions.Item label="关联线索">
              <Link to={`/leads/${s.leadId}`}>查看线索</Link>
            </Descriptions.Item>
          ) : null}
        </Descriptions>
        {s.status !== 'closed' ? (
          <Space wrap style={{ marginTop: 16 }}>
            {assignee || office ? (
              <Button type="primary" onClick={() => setModal('progress')}>
                记录办理进展
              </Button>
            ) : null}
            {assignee && !s.pendingExtensionRequestId ? <Button onClick={() => setModal('extension')}>申请延期</Button> : null}
            {assignee ? <Button onClick={() => setModal('result')}>报送办理结果</Button> : null}
            {office && s.pendingExtensionRequestId ? (
              <>
                <Button onClick={() => act(`/extension-requests/${s.pendingExtensionRequestId}/approve`, {}, '已批准延期')}>批准延期</Button>
                <Button onClick={() => setModal('refuse')}>不予延期</Button>
              </>
            ) : null}
            {office && s.status === 'awaiting-review' ? <Button onClick={() => setModal('review')}>审结</Button> : null}
            <Button onClick={reload}>刷新</Button>
          </Space>
        ) : null}
      </Card>
      <RecordTimeline path={`/api/supervision-items/${id}/history`} refreshKey={data} />
      <CommandModal<{ note: string }> title="记录办理进展" open={modal === 'progress'} onClose={() => setModal(undefined)} submit={(v, form) => act('/progress', v, '进展已记录', form)}>
        <Form.Item label="进展情况" name="note" required>
          <Input.TextArea rows={3} />
        </Form.Item>
      </CommandModal>
      <CommandModal<{ newDueOn?: Dayjs; reason: string }> title="申请延期" open={modal === 'extension'} onClose={() => setModal(undefined)} submit={(v, form) => act('/extension-requests', { newDueOn: date(v.newDueOn), reason: v.reason }, '延期申请已提交', form)}>
        <Form.Item label="申请延至" name="newDueOn" required>
          <DatePicker style={{ width: '100%' }} aria-label="申请延至" />
        </Form.Item>
        <Form.Item label="理由" name="reason" required>
          <Input.TextArea rows={3} />
        </Form.Item>
      </CommandModal>
      <CommandModal<{ reason: string }> title="不予延期" open={modal === 'refuse'} onClose={() => setModal(undefined)} submit={(v, form) => act(`/extension-requests/${s.pendingExtensionRequestId}/refuse`, v, '已不予延期', form)}>
        <Form.Item label="理由" name="reason" required>
          <Input.TextArea rows={3} />
        </Form.Item>
      </CommandModal>
      <CommandModal<{ summary: string }> title="报送办理结果" open={modal === 'result'} onClose={() => setModal(undefined)} submit={(v, form) => act('/results', v, '办理结果已报送', form)}>
        <Form.Item label="办理结果" name="summary" required>
          <Input.TextArea rows={3} />
        </Form.Item>
      </CommandModal>
      <CommandModal<{ outcome: string; comment: string }> title="审结" open={modal === 'review'} onClose={() => setModal(undefined)} submit={(v, form) => act('/review', v, '已审结', form)}>
        <Form.Item label="审结意见" name="outcome" required>
          <Select
            aria-label="审结意见"
            options={[
              { value: 'accepted', label: '通过，销号' },
              { value: 'sent-back', label: '退回重办' },
            ]}
          />
        </Form.Item>
        <Form.Item label="说明" name="comment" required>
          <Input.TextArea rows={3} />
        </Form.Item>
      </CommandModal>
    </Space>
  );
}
