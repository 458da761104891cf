import { Button, Card, DatePicker, Descriptions, Form, Input, InputNumber, Select, Space, Statistic, Table, Tag, Typography, type FormInstance } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { command, get, getAll } from '../api';
import { Link, useApp } from '../app-context';
import { CommandModal } from '../components/command-modal';
import { LoadError, useCommandRunner, useLoad } from '../components/common';
import { RecordTimeline } from '../components/timeline';
import { CASE_STAGES, CASE_STATUSES, RECOVERY_CATEGORIES, SANCTION_KINDS, label, yuan, type CaseRow, type History } from '../model';

const options = (map: Record<string, string>) => Object.entries(map).map(([value, l]) => ({ value, label: l }));
const date = (d: Dayjs | null | undefined): string | undefined => (d ? d.format('YYYY-MM-DD') : undefined);

export function CasesPage({ initial }: { initial: URLSearchParams }) {
  const { session, agencyName, agencies } = useApp();
  const [status, setStatus] = useState<string | undefined>(initial.get('status') ?? undefined);
  const [agency, setAgency] = useState<string | undefined>(initial.get('agency') ?? undefined);
  const [search, setSearch] = useState('');
  const { data, loading, error, reload } = useLoad(() => getAll<CaseRow>('/api/cases', { status, agency }), [status, agency]);
  const rows = useMemo(() => {
    const q = search.trim();
    return (data ?? []).filter((r) => !q || [r.caseNo, r.title, ...r.subjectNames].some((f) => f.includes(q)));
  }, [data, search]);
  const total = rows.reduce((s, r) => s + r.recoveredFen, 0);
  return (
    <Card title={session.role === 'agency' ? '我的案件' : '案件台账'} extra={<Statistic title="挽回经济损失（本表合计）" value={yuan(total)} valueStyle={{ fontSize: 16 }} />}>
      <LoadError error={error} onRetry={reload} />
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search aria-label="搜索案件" placeholder="案件编号、名称、被反映人" allowClear onChange={(e) => setSearch(e.target.value)} style={{ width: 260 }} />
        <Select aria-label="状态" placeholder="状态" allowClear options={options(CASE_STATUSES)} value={status} onChange={setStatus} style={{ width: 120 }} />
        {session.role !== 'agency' ? (
          <Select aria-label="单位" placeholder="承办单位" allowClear options={agencies.map((a) => ({ value: a.agency, label: a.name }))} value={agency} onChange={setAgency} style={{ width: 200 }} />
        ) : null}
        <Button onClick={reload}>刷新</Button>
      </Space>
      <Table<CaseRow>
        rowKey="caseId"
        size="middle"
        loading={loading}
        dataSource={rows}
        scroll={{ x: 1000 }}
        pagination={{ pageSize: 20, showTotal: (t) => `共 ${t} 件` }}
        columns={[
          { title: '案件编号', dataIndex: 'caseNo', width: 130, render: (v: string, r) => <Link to={`/cases/${r.caseId}`}>{v}</Link> },
          { title: '案件名称', dataIndex: 'title', ellipsis: true },
          { title: '主办单位', dataIndex: 'leadAgency', width: 130, render: (v: string) => agencyName(v) },
          { title: '立案日期', dataIndex: 'filedOn', width: 110 },
          { title: '阶段', dataIndex: 'lastStage', width: 100, render: (v: string | null) => label(CASE_STAGES, v) },
          { title: '挽回损失', dataIndex: 'recoveredFen', width: 150, align: 'right', render: (v: number) => yuan(v) },
          {
            title: '状态',
            dataIndex: 'status',
            width: 150,
            render: (v: string, r) => (
              <Space size={4}>
                {label(CASE_STATUSES, v)}
                {r.major ? <Tag color="red">重大</Tag> : null}
                {r.difficult ? <Tag color="orange">疑难</Tag> : null}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}

type ModalKind = 'progress' | 'recovery' | 'correction' | 'sanction' | 'close' | undefined;

export function CaseDetailPage({ id }: { id: string }) {
  const { session, agencyName, agencies } = useApp();
  const agencyOptions = agencies.map((a) => ({ value: a.agency, label: a.name }));
  const { data, error, reload, loading } = useLoad(async () => {
    const [row, history] = await Promise.all([get<CaseRow>(`/api/cases/${id}`), get<History>(`/api/cases/${id}/history`, undefined, { fresh: false })]);
    return { row: row.data, etag: row.etag, history: history.data };
  }, [id]);
  const { run, conflict } = useCommandRunner(reload);
  const [modal, setModal] = useState<ModalKind>();
  useEffect(() => {
    if (conflict) setModal(undefined);
  }, [conflict]);
  const [correcting, setCorrecting] = useState<string>();
  if (error) return <LoadError error={error} onRetry={reload} />;
  if (!data) return <Card loading={loading} />;
  const c = data.row;
  const events = data.history.events;
  const reports = events.filter((e) => e.type === 'case.progress-reported').map((e) => ({ key: e.version, ...(e.data as { stage: string; summary: string; agency: string; reportedOn: string }) }));
  const corrections = new Map<string, number>();
  for (const e of events.filter((x) => x.type === 'case.loss-recovery-corrected')) {
    const d = e.data as { recoveryId: string; correctedAmountFen: number };
    corrections.set(d.recoveryId, d.correctedAmountFen);
  }
  const recoveries = events
    .filter((e) => e.type === 'case.loss-recovered')
    .map((e) => {
      const d = e.data as { recoveryId: string; amountFen: number; category: string; agency: string; recoveredOn: string; note?: string };
      return { ...d, effectiveFen: corrections.get(d.recoveryId) ?? d.amountFen, corrected: corrections.has(d.recoveryId) };
    });
  const open = c.status !== 'closed';
  const act = async (path: string, body: unknown, success: string, form?: FormInstance): Promise<boolean> => {
    const r = await run(() => command('POST', `/api/cases/${id}${path}`, body, data.etag), { form, success });
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
              {c.caseNo} {c.title}
            </span>
            <Tag color="blue">{label(CASE_STATUSES, c.status)}</Tag>
            {c.major ? <Tag color="red">重大</Tag> : null}
            {c.difficult ? <Tag color="orange">疑难</Tag> : null}
          </Space>
        }
        extra={<Typography.Text type="secondary">版本 {c.version}</Typography.Text>}
      >
        <Descriptions column={{ xs: 1, md: 2, xl: 3 }} size="small" bordered>
          <Descriptions.Item label="主办单位">{agencyName(c.leadAgency)}</Descriptions.Item>
          <Descriptions.Item label="协办单位">{c.coAgencies.length ? c.coAgencies.map(agencyName).join('、') : '无'}</Descriptions.Item>
          <Descriptions.Item label="被反映人">{c.subjectNames.join('、')}</Descriptions.Item>
          <Descriptions.Item label="立案日期">{c.filedOn}</Descriptions.Item>
          <Descriptions.Item label="最近报告">{c.lastProgressOn ? `${c.lastProgressOn}（${label(CASE_STAGES, c.lastStage)}）` : '—'}</Descriptions.Item>
          <Descriptions.Item label="挽回经济损失">
            <span data-testid="case-recovered">{yuan(c.recoveredFen)}</span>
          </Descriptions.Item>
          <Descriptions.Item label="处分人数">{c.sanctionCount}</Descriptions.Item>
          <Descriptions.Item label="移送司法">{c.judicialTransferOn ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="结案日期">{c.closedOn ?? '—'}</Descriptions.Item>
        </Descriptions>
        <Space wrap style={{ marginTop: 16 }}>
          {open ? (
            <>
              <Button type="primary" onClick={() => setModal('progress')}>
                报告案情进展
              </Button>
              <Button onClick={() => setModal('recovery')}>登记挽损</Button>
              <Button onClick={() => setModal('sanction')}>登记处分</Button>
              {session.role === 'office' ? <Button onClick={() => setModal('close')}>结案</Button> : null}
            </>
          ) : null}
          <Button onClick={reload}>刷新</Button>
        </Space>
      </Card>
      <Card title="案情报告" size="small">
        <Table
          size="small"
          rowKey="key"
          pagination={false}
          dataSource={reports}
          locale={{ emptyText: '暂无案情报告' }}
          columns={[
            { title: '报告日期', dataIndex: 'reportedOn', width: 110 },
            { title: '阶段', dataIndex: 'stage', width: 100, render: (v: string) => label(CASE_STAGES, v) },
            { title: '报告单位', dataIndex: 'agency', width: 140, render: (v: string) => agencyName(v) },
            { title: '摘要', dataIndex: 'summary' },
          ]}
        />
      </Card>
      <Card title="挽回经济损失" size="small">
        <Table
          size="small"
          rowKey="recoveryId"
          pagination={false}
          dataSource={recoveries}
          locale={{ emptyText: '暂无挽损记录' }}
          columns={[
            { title: '追缴日期', dataIndex: 'recoveredOn', width: 110 },
            { title: '类别', dataIndex: 'category', width: 80, render: (v: string) => label(RECOVERY_CATEGORIES, v) },
            { title: '单位', dataIndex: 'agency', width: 140, render: (v: string) => agencyName(v) },
            { title: '金额', dataIndex: 'effectiveFen', align: 'right', render: (v: number, r) => (r.corrected ? `${yuan(v)}（原登记 ${yuan(r.amountFen)}，已冲正）` : yuan(v)) },
            { title: '备注', dataIndex: 'note', render: (v?: string) => v ?? '' },
            ...(session.role === 'office' && open ? [{ title: '操作', width: 80, render: (_: unknown, r: { recoveryId: string }) => <Button size="small" onClick={() => { setCorrecting(r.recoveryId); setModal('correction'); }}>冲正</Button> }] : []),
          ]}
        />
      </Card>
      <RecordTimeline path={`/api/cases/${id}/history`} refreshKey={data} />

      <CommandModal<{ stage: string; summary: string; reportedOn?: Dayjs }> title="报告案情进展" open={modal === 'progress'} onClose={() => setModal(undefined)} submit={(v, form) => act('/progress-reports', { stage: v.stage, summary: v.summary, reportedOn: date(v.reportedOn) }, '案情报告已登记', form)}>
        <Form.Item label="阶段" name="stage" required>
          <Select options={options(CASE_STAGES)} aria-label="阶段" />
        </Form.Item>
        <Form.Item label="报告日期" name="reportedOn" required>
          <DatePicker style={{ width: '100%' }} aria-label="报告日期" />
        </Form.Item>
        <Form.Item label="进展摘要" name="summary" required>
          <Input.TextArea rows={3} />
        </Form.Item>
      </CommandModal>
      <CommandModal<{ amountYuan?: number; category: string; agency: string; recoveredOn?: Dayjs; note?: string }>
        title="登记挽回经济损失"
        open={modal === 'recovery'}
        onClose={() => setModal(undefined)}
        initialValues={{ agency: session.agency ?? c.leadAgency }}
        submit={(v, form) =>
          act(
            '/recoveries',
            // money is integer fen in the API; people type yuan with at most two decimals
            { amountFen: v.amountYuan === undefined || v.amountYuan === null ? undefined : Math.round(v.amountYuan * 100), category: v.category, agency: session.agency ?? v.agency, recoveredOn: date(v.recoveredOn), ...(v.note ? { note: v.note } : {}) },
            '挽损已登记',
            form,
          )
        }
      >
        <Form.Item label="金额（元）" name="amountYuan" required>
          <InputNumber min={0} precision={2} style={{ width: '100%' }} aria-label="金额（元）" />
        </Form.Item>
        <Form.Item label="类别" name="category" required>
          <Select options={options(RECOVERY_CATEGORIES)} aria-label="类别" />
        </Form.Item>
        <Form.Item label="追缴单位" name="agency" required>
          <Select options={agencyOptions} disabled={session.role === 'agency'} aria-label="追缴单位" />
        </Form.Item>
        <Form.Item label="追缴日期" name="recoveredOn" required>
          <DatePicker style={{ width: '100%' }} aria-label="追缴日期" />
        </Form.Item>
        <Form.Item label="备注" name="note">
          <Input />
        </Form.Item>
      </CommandModal>
      <CommandModal<{ correctedYuan?: number; reason: string }>
        title="冲正挽损金额"
        open={modal === 'correction'}
        onClose={() => setModal(undefined)}
        submit={(v, form) => act(`/recoveries/${correcting}/corrections`, { correctedAmountFen: v.correctedYuan === undefined || v.correctedYuan === null ? undefined : Math.round(v.correctedYuan * 100), reason: v.reason }, '已冲正', form)}
      >
        <Form.Item label="更正后金额（元）" name="correctedYuan" required>
          <InputNumber min={0} precision={2} style={{ width: '100%' }} aria-label="更正后金额（元）" />
        </Form.Item>
        <Form.Item label="更正理由" name="reason" required>
          <Input.TextArea rows={2} />
        </Form.Item>
      </CommandModal>
      <CommandModal<{ personName: string; kind: string; level?: string; measure?: string; decidedOn?: Dayjs }>
        title="登记处分"
        open={modal === 'sanction'}
        onClose={() => setModal(undefined)}
        submit={(v, form) => act('/sanctions', { personName: v.personName, kind: v.kind, ...(v.level ? { level: v.level } : {}), ...(v.measure ? { measure: v.measure } : {}), decidedOn: date(v.decidedOn) }, '处分已登记', form)}
      >
        <Form.Item label="受处分人" name="personName" required>
          <Input />
        </Form.Item>
        <Form.Item label="处分类别" name="kind" required>
          <Select options={options(SANCTION_KINDS)} aria-label="处分类别" />
        </Form.Item>
        <Form.Item label="级别" name="level">
          <Input />
        </Form.Item>
        <Form.Item label="措施" name="measure">
          <Input />
        </Form.Item>
        <Form.Item label="决定日期" name="decidedOn" required>
          <DatePicker style={{ width: '100%' }} aria-label="决定日期" />
        </Form.Item>
      </CommandModal>
      <CommandModal<{ summary: string; closedOn?: Dayjs }> title="结案" open={modal === 'close'} onClose={() => setModal(undefined)} submit={(v, form) => act('/close', { summary: v.summary, closedOn: date(v.closedOn) }, '已结案', form)}>
        <Form.Item label="结案日期" name="closedOn" required>
          <DatePicker style={{ width: '100%' }} aria-label="结案日期" />
        </Form.Item>
        <Form.Item label="结案摘要" name="summary" required>
          <Input.TextArea rows={3} />
        </Form.Item>
      </CommandModal>
    </Space>
  );
}
