import { Alert, Button, Card, Checkbox, DatePicker, Descriptions, Empty, Form, Input, Select, Space, Table, Tag, Typography, type FormInstance } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { ApiError, command, get, getAll } from '../api';
import { Link, useApp } from '../app-context';
import { CommandModal } from '../components/command-modal';
import { LoadError, useCommandRunner, useLoad } from '../components/common';
import { RecordTimeline } from '../components/timeline';
import { MEETING_KINDS, MEETING_STATUSES, STATEMENT_POSITIONS, label, shanghaiToday, type MeetingDecision, type MeetingRow } from '../model';

const options = (map: Record<string, string>) => Object.entries(map).map(([value, l]) => ({ value, label: l }));
const date = (d: Dayjs | null | undefined): string | undefined => (d ? d.format('YYYY-MM-DD') : undefined);

/** 联席会议登记簿: every meeting (例会 and 专题会议) with its status; the office schedules new ones. */
export function MeetingsPage() {
  const { session, navigate } = useApp();
  const [kind, setKind] = useState<string>();
  const [status, setStatus] = useState<string>();
  const [creating, setCreating] = useState(false);
  const { data, loading, error, reload } = useLoad(() => getAll<MeetingRow>('/api/meetings', { kind, status }), [kind, status]);
  const { run } = useCommandRunner(reload);
  const today = dayjs(shanghaiToday());
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <LoadError error={error} onRetry={reload} />
      <Card
        title="联席会议"
        extra={
          <Space wrap>
            <Select allowClear placeholder="会议类型" aria-label="会议类型" style={{ width: 130 }} value={kind} onChange={setKind} options={options(MEETING_KINDS)} />
            <Select allowClear placeholder="会议状态" aria-label="会议状态" style={{ width: 130 }} value={status} onChange={setStatus} options={options(MEETING_STATUSES)} />
            {session.role === 'office' ? (
              <Button type="primary" onClick={() => setCreating(true)}>
                安排会议
              </Button>
            ) : null}
            <Button onClick={reload}>刷新</Button>
          </Space>
        }
      >
        <Table<MeetingRow>
          rowKey="meetingId"
          size="middle"
          loading={loading}
          dataSource={data ?? []}
          pagination={{ pageSize: 20 }}
          scroll={{ x: 900 }}
          columns={[
            { title: '会议名称', dataIndex: 'title', render: (v: string, r) => <Link to={`/meetings/${r.meetingId}`}>{v}</Link> },
            { title: '类型', dataIndex: 'kind', width: 100, render: (v: string) => label(MEETING_KINDS, v) },
            { title: '半年度', dataIndex: 'halfYear', width: 100, render: (v: string | null) => v ?? '—' },
            { title: '会议日期', dataIndex: 'scheduledOn', width: 120 },
            { title: '议题截止', dataIndex: 'topicCutoffOn', width: 120 },
            { title: '议题', width: 110, render: (_: unknown, r) => `${r.topics.length}${r.lateTopicCount ? `（临时动议 ${r.lateTopicCount}）` : ''}` },
            { title: '通过决定', dataIndex: 'passedDecisionCount', width: 90 },
            { title: '状态', dataIndex: 'status', width: 100, render: (v: string) => <Tag>{label(MEETING_STATUSES, v)}</Tag> },
          ]}
        />
      </Card>
      <CommandModal<{ kind: string; title: string; scheduledOn?: Dayjs; topicCutoffOn?: Dayjs }>
        title="安排联席会议"
        open={creating}
        onClose={() => setCreating(false)}
        initialValues={{ kind: 'special', scheduledOn: today, topicCutoffOn: today }}
        submit={async (v, form) => {
          const r = await run(() => command('POST', '/api/meetings', { kind: v.kind, title: v.title, scheduledOn: date(v.scheduledOn), topicCutoffOn: date(v.topicCutoffOn) }), { form, success: '会议已安排' });
          if (r?.id) navigate(`/meetings/${r.id}`);
          return !!r;
        }}
      >
        <Form.Item label="会议类型" name="kind" required extra="例会每半年一次；专题会议根据需要召开">
          <Select aria-label="会议类型" options={options(MEETING_KINDS)} />
        </Form.Item>
        <Form.Item label="会议名称" name="title" required>
          <Input />
        </Form.Item>
        <Form.Item label="会议日期" name="scheduledOn" required>
          <DatePicker style={{ width: '100%' }} aria-label="会议日期" />
        </Form.Item>
        <Form.Item label="议题截止日期" name="topicCutoffOn" required extra="截止日期后提交的议题为临时动议，须说明理由">
          <DatePicker style={{ width: '100%' }} aria-label="议题截止日期" />
        </Form.Item>
      </CommandModal>
    </Space>
  );
}

type ModalKind = 'topic' | 'convene' | 'decision' | 'minutes' | undefined;

/** One present member's statement on a decision, entered in its row (the office records each member's). */
function StatementEntry({ onSubmit, agency, formName }: { agency: string; formName: string; onSubmit: (position: string, reason: string, form: FormInstance) => Promise<boolean> }) {
  const [form] = Form.useForm<{ position?: string; reason?: string }>();
  const [busy, setBusy] = useState(false);
  return (
    <Form form={form} name={formName} layout="inline" data-testid={`statement-form-${agency}`}>
      <Form.Item name="position" style={{ marginBottom: 4 }}>
        <Select aria-label="表态" placeholder="表态" style={{ width: 110 }} options={options(STATEMENT_POSITIONS)} />
      </Form.Item>
      <Form.Item name="reason" style={{ marginBottom: 4, minWidth: 220 }}>
        <Input aria-label="理由" placeholder="理由" />
      </Form.Item>
      <Button
        loading={busy}
        onClick={async () => {
          setBusy(true);
          const v = form.getFieldsValue();
          try {
            if (await onSubmit(v.position ?? '', v.reason ?? '', form)) form.resetFields();
          } finally {
            setBusy(false);
          }
        }}
      >
        记录表态
      </Button>
    </Form>
  );
}

function DecisionCard({ meeting, decision, etag, run, reload }: { meeting: MeetingRow; decision: MeetingDecision; etag?: number; run: ReturnType<typeof useCommandRunner>['run']; reload: () => void }) {
  const { session, agencyName } = useApp();
  const [refusal, setRefusal] = useState<string>();
  const office = session.role === 'office';
  const base = `/api/meetings/${meeting.meetingId}/decisions/${decision.decisionId}`;
  // present members in membership order, the principal leader last: the order the statements are taken
  const present = [...meeting.attendees].sort((a, b) => Number(a === meeting.principalLeader) - Number(b === meeting.principalLeader));
  const rows = present.map((agency) => ({ agency, statement: decision.statements.find((s) => s.agency === agency) }));
  const open = decision.passed === null && meeting.status === 'in-session';
  const take = async () => {
    setRefusal(undefined);
    const r = await run(async () => {
      try {
        return await command<{ passed: boolean }>('POST', `${base}/take`, {}, etag);
      } catch (e) {
        // quorum and missing statements are refusals a clerk must read where they act, in the API's words
        if (e instanceof ApiError && !e.isVersionConflict) setRefusal(e.detail);
        throw e;
      }
    }, { success: '已作出决定' });
    if (r) reload();
  };
  return (
    <Card
      size="small"
      data-testid="decision"
      title={
        <Space wrap>
          <span>决定事项：{decision.title}</span>
          {decision.passed === null ? <Tag color="blue">待表决</Tag> : decision.passed ? <Tag color="green" data-testid="decision-result">通过</Tag> : <Tag color="red" data-testid="decision-result">未通过</Tag>}
        </Space>
      }
      extra={
        office && open ? (
          <Button type="primary" onClick={take}>
            作出决定
          </Button>
        ) : null
      }
    >
      {refusal ? <Alert type="error" showIcon role="alert" data-testid="take-refusal" title="未能作出决定" description={refusal} style={{ marginBottom: 12 }} closable onClose={() => setRefusal(undefined)} /> : null}
      {decision.counts ? (
        <Typography.Paragraph data-testid="decision-counts">
          同意 {decision.counts.agree}，不同意 {decision.counts.disagree}，缓议 {decision.counts.defer}；出席 {decision.counts.present} / 应到 {decision.counts.shouldAttend}（{decision.takenOn} 作出决定）
        </Typography.Paragraph>
      ) : null}
      <Typography.Text strong>任务分工</Typography.Text>
      <Table
        rowKey="actionId"
        size="small"
        pagination={false}
        dataSource={decision.actionItems}
        style={{ marginBottom: 12 }}
        columns={[
          { title: '任务', dataIndex: 'title' },
          { title: '承办单位', dataIndex: 'assigneeAgency', width: 180, render: (v: string) => agencyName(v) },
          { title: '办结时限', dataIndex: 'dueOn', width: 120 },
          { title: '督办事项', dataIndex: 'supervisionItemId', width: 120, render: (v: string | null) => (v ? <Link to={`/supervision/${v}`}>查看督办</Link> : '—') },
        ]}
      />
      <Typography.Text strong>成员表态（主要领导最后表态）</Typography.Text>
      <Table
        rowKey="agency"
        size="small"
        pagination={false}
        dataSource={rows}
        data-testid="statements"
        columns={[
          {
            title: '成员单位',
            dataIndex: 'agency',
            width: 200,
            render: (v: string) => (
              <Space size={4}>
                {agencyName(v)}
                {v === meeting.principalLeader ? <Tag color="gold">主要领导</Tag> : null}
              </Space>
            ),
          },
          {
            title: '表态',
            render: (_: unknown, r) =>
              r.statement ? (
                <span>
                  <Tag color={r.statement.position === 'agree' ? 'green' : r.statement.position === 'disagree' ? 'red' : 'orange'}>{label(STATEMENT_POSITIONS, r.statement.position)}</Tag>
                  {r.statement.reason}
                </span>
              ) : open && (office || session.agency === r.agency) ? (
                <StatementEntry
                  agency={r.agency}
                  formName={`stmt-${decision.decisionId.slice(0, 8)}-${r.agency}`}
                  onSubmit={async (position, reason, form) => {
                    const res = await run(() => command('POST', `${base}/statements`, { agency: r.agency, position, reason }, etag), { form, success: `已记录${agencyName(r.agency)}的表态` });
                    if (res) reload();
                    return !!res;
                  }}
                />
              ) : (
                <Typography.Text type="secondary">未表态</Typography.Text>
              ),
          },
        ]}
      />
    </Card>
  );
}

export function MeetingDetailPage({ id }: { id: string }) {
  const { session, agencies, agencyName } = useApp();
  const { data, error, reload, loading } = useLoad(() => get<MeetingRow>(`/api/meetings/${id}`), [id]);
  const { run, conflict } = useCommandRunner(reload);
  const [modal, setModal] = useState<ModalKind>();
  useEffect(() => {
    if (conflict) setModal(undefined);
  }, [conflict]);
  if (error) return <LoadError error={error} onRetry={reload} />;
  if (!data) return <Card loading={loading} />;
  const m = data.data;
  const office = session.role === 'office';
  const member = session.role === 'agency' && !!session.agency;
  const act = async (path: string, body: unknown, success: string, form?: FormInstance): Promise<boolean> => {
    const r = await run(() => command('POST', `/api/meetings/${id}${path}`, body, data.etag), { form, success });
    if (r) reload();
    return !!r;
  };
  const pending = m.decisions.some((d) => d.passed === null);
  const absent = m.expectedMembers.filter((a) => !m.attendees.includes(a));
  const agencyOptions = agencies.map((a) => ({ value: a.agency, label: a.name }));
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      {conflict}
      <Card
        title={
          <Space wrap>
            <span>{m.title}</span>
            <Tag>{label(MEETING_KINDS, m.kind)}</Tag>
            <Tag color="blue" data-testid="meeting-status">
              {label(MEETING_STATUSES, m.status)}
            </Tag>
          </Space>
        }
        extra={<Typography.Text type="secondary">版本 {data.etag ?? '—'}</Typography.Text>}
      >
        <Descriptions column={{ xs: 1, md: 2, xl: 3 }} size="small" bordered>
          <Descriptions.Item label="会议日期">{m.scheduledOn}</Descriptions.Item>
          <Descriptions.Item label="议题截止">{m.topicCutoffOn}</Descriptions.Item>
          <Descriptions.Item label="半年度">{m.halfYear ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="召开日期">{m.heldOn ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="主要领导">{m.principalLeader ? agencyName(m.principalLeader) : '—'}</Descriptions.Item>
          <Descriptions.Item label="结束日期">{m.closedOn ?? '—'}</Descriptions.Item>
          {m.heldOn ? (
            <Descriptions.Item label="出席" span={3}>
              <span data-testid="attendance">
                出席 {m.attendees.length} / 应到 {m.expectedMembers.length}：{m.attendees.map((a) => agencyName(a)).join('、')}
                {absent.length ? `；缺席：${absent.map((a) => agencyName(a)).join('、')}` : ''}
              </span>
            </Descriptions.Item>
          ) : null}
          {m.minutes ? (
            <Descriptions.Item label="会议纪要" span={3}>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{m.minutes}</Typography.Paragraph>
            </Descriptions.Item>
          ) : null}
        </Descriptions>
        <Space wrap style={{ marginTop: 16 }}>
          {(office || member) && (m.status === 'scheduled' || m.status === 'in-session') ? <Button onClick={() => setModal('topic')}>提交议题</Button> : null}
          {office && m.status === 'scheduled' ? (
            <Button type="primary" onClick={() => setModal('convene')}>
              召开会议（登记出席）
            </Button>
          ) : null}
          {office && m.status === 'in-session' ? (
            <Button type="primary" onClick={() => setModal('decision')}>
              提出决定事项
            </Button>
          ) : null}
          {office && m.status === 'in-session' ? (
            <Button disabled={pending} title={pending ? '尚有未作出的决定' : undefined} onClick={() => setModal('minutes')}>
              记录会议纪要
            </Button>
          ) : null}
          {office && m.status === 'minuted' ? <Button onClick={() => act('/close', {}, '会议已结束')}>结束会议</Button> : null}
          <Button onClick={reload}>刷新</Button>
        </Space>
      </Card>
      <Card title="议题" size="small">
        <Table
          rowKey="topicId"
          size="small"
          pagination={false}
          dataSource={m.topics}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无议题" /> }}
          columns={[
            {
              title: '议题',
              dataIndex: 'title',
              render: (v: string, t) => (
                <Space size={4}>
                  {v}
                  {t.late ? <Tag color="orange">临时动议</Tag> : null}
                </Space>
              ),
            },
            { title: '内容', dataIndex: 'summary', ellipsis: true },
            { title: '提出单位', dataIndex: 'agency', width: 160, render: (v: string) => agencyName(v) },
            { title: '提交日期', dataIndex: 'submittedOn', width: 110 },
            { title: '临时动议理由', dataIndex: 'justification', width: 200, render: (v: string | null) => v ?? '—' },
          ]}
        />
      </Card>
      {m.decisions.length ? (
        <Space direction="vertical" size={12} style={{ width: '100%' }}>
          {m.decisions.map((d) => (
            <DecisionCard key={d.decisionId} meeting={m} decision={d} etag={data.etag} run={run} reload={reload} />
          ))}
        </Space>
      ) : null}
      <RecordTimeline path={`/api/meetings/${id}/history`} refreshKey={data} />
      <CommandModal<{ agency?: string; title: string; summary: string; justification?: string }>
        title="提交议题"
        open={modal === 'topic'}
        onClose={() => setModal(undefined)}
        initialValues={{ agency: session.agency }}
        submit={(v, form) => act('/topics', { agency: v.agency ?? session.agency, title: v.title, summary: v.summary, ...(v.justification ? { justification: v.justification } : {}) }, '议题已提交', form)}
      >
        <Form.Item label="提出单位" name="agency" required>
          <Select aria-label="提出单位" options={agencyOptions} disabled={!office} />
        </Form.Item>
        <Form.Item label="议题" name="title" required>
          <Input />
        </Form.Item>
        <Form.Item label="议题内容" name="summary" required>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item label="临时动议理由" name="justification" extra={`议题截止日期为 ${m.topicCutoffOn}；截止后或会议期间提交的议题为临时动议，须说明理由`}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </CommandModal>
      {agencies.length ? (
      <CommandModal<{ heldOn?: Dayjs; attendees: string[] }>
        title="召开会议（登记出席）"
        open={modal === 'convene'}
        onClose={() => setModal(undefined)}
        initialValues={{ heldOn: dayjs(shanghaiToday()), attendees: agencies.map((a) => a.agency) }}
        submit={(v, form) => act('/convene', { heldOn: date(v.heldOn), attendees: v.attendees ?? [] }, '会议已召开，出席已登记', form)}
      >
        <Form.Item label="召开日期" name="heldOn" required>
          <DatePicker style={{ width: '100%' }} aria-label="召开日期" />
        </Form.Item>
        <Form.Item label="出席成员单位" name="attendees" required extra="以会议当日的小组成员为准；须三分之二以上成员出席方可作出决定">
          <Checkbox.Group options={agencyOptions} style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 4 }} />
        </Form.Item>
      </CommandModal>
      ) : null}
      <CommandModal<{ title: string; topicId?: string; actionItems?: { title: string; assigneeAgency?: string; dueOn?: Dayjs }[] }>
        title="提出决定事项"
        open={modal === 'decision'}
        onClose={() => setModal(undefined)}
        initialValues={{ actionItems: [{ title: '' }] }}
        submit={(v, form) =>
          act(
            '/decisions',
            { title: v.title, ...(v.topicId ? { topicId: v.topicId } : {}), actionItems: (v.actionItems ?? []).map((a) => ({ title: a.title, assigneeAgency: a.assigneeAgency, dueOn: date(a.dueOn) })) },
            '决定事项已提出',
            form,
          )
        }
      >
        <Form.Item label="决定事项" name="title" required>
          <Input />
        </Form.Item>
        <Form.Item label="所属议题" name="topicId">
          <Select aria-label="所属议题" allowClear options={m.topics.map((t) => ({ value: t.topicId, label: t.title }))} />
        </Form.Item>
        <Form.List name="actionItems">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => (
                <Card key={f.key} size="small" title={`任务 ${i + 1}`} extra={<Button size="small" onClick={() => remove(f.name)}>删除</Button>} style={{ marginBottom: 8 }}>
                  <Form.Item label="任务" name={[f.name, 'title']} required>
                    <Input aria-label={`任务${i + 1}`} />
                  </Form.Item>
                  <Form.Item label="承办单位" name={[f.name, 'assigneeAgency']} required>
                    <Select aria-label={`任务${i + 1}承办单位`} options={agencyOptions} />
                  </Form.Item>
                  <Form.Item label="办结时限" name={[f.name, 'dueOn']} required>
                    <DatePicker style={{ width: '100%' }} aria-label={`任务${i + 1}办结时限`} />
                  </Form.Item>
                </Card>
              ))}
              <Button onClick={() => add({ title: '' })}>增加任务</Button>
            </>
          )}
        </Form.List>
      </CommandModal>
      <CommandModal<{ minutes: string }> title="记录会议纪要" open={modal === 'minutes'} onClose={() => setModal(undefined)} submit={(v, form) => act('/minutes', v, '会议纪要已记录', form)}>
        <Form.Item label="会议纪要" name="minutes" required>
          <Input.TextArea rows={6} />
        </Form.Item>
      </CommandModal>
    </Space>
  );
}
