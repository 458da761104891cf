import { Button, Card, Checkbox, Col, Collapse, DatePicker, Descriptions, Form, Input, Row, Select, Space, Table, Tag, Typography, type FormInstance } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { command, get, getAll } from '../api';
import { Link, useApp } from '../app-context';
import { CommandModal } from '../components/command-modal';
import { LoadError, useCommandRunner, useLoad } from '../components/common';
import { RecordTimeline } from '../components/timeline';
import { DISPOSITION_METHODS, LEAD_SOURCES, LEAD_STATUSES, label, leadsAfter, shanghaiToday, type LeadRow } from '../model';

const options = (map: Record<string, string>) => Object.entries(map).map(([value, l]) => ({ value, label: l }));

function useAgencyOptions() {
  const { agencies } = useApp();
  return agencies.map((a) => ({ value: a.agency, label: a.name }));
}

const date = (d: Dayjs | string | null | undefined): string | undefined => (d ? (typeof d === 'string' ? d : d.format('YYYY-MM-DD')) : undefined);

// ─── 线索台账 / 我的线索 ─────────────────────────────────────────────────────────────────────────────

export function LeadsPage({ initial }: { initial: URLSearchParams }) {
  const { session, agencyName } = useApp();
  const agencyOptions = useAgencyOptions();
  const [status, setStatus] = useState<string | undefined>(initial.get('status') ?? undefined);
  const [source, setSource] = useState<string | undefined>(initial.get('source') ?? undefined);
  const [agency, setAgency] = useState<string | undefined>(initial.get('agency') ?? undefined);
  const [search, setSearch] = useState(initial.get('search') ?? '');
  const { data, loading, error, reload } = useLoad(() => getAll<LeadRow>('/api/leads', { status, source, agency }, leadsAfter), [status, source, agency]);
  const rows = useMemo(() => {
    const q = search.trim();
    if (!q) return data ?? [];
    return (data ?? []).filter((r) => [r.ledgerNo, r.subjectName, r.subjectUnit, r.subjectPost, r.allegation, r.category ?? ''].some((f) => f.includes(q)));
  }, [data, search]);
  return (
    <Card title={session.role === 'agency' ? '我的线索' : '问题线索台账'} extra={session.role === 'office' || session.role === 'agency' ? <Link to="/leads/new">登记线索</Link> : null}>
      <LoadError error={error} onRetry={reload} />
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search aria-label="搜索线索" placeholder="编号、被反映人、单位、问题摘要" defaultValue={search} allowClear onSearch={setSearch} onChange={(e) => setSearch(e.target.value)} style={{ width: 280 }} />
        <Select aria-label="状态" placeholder="状态" allowClear options={options(LEAD_STATUSES)} value={status} onChange={setStatus} style={{ width: 130 }} />
        <Select aria-label="来源" placeholder="来源" allowClear options={options(LEAD_SOURCES)} value={source} onChange={setSource} style={{ width: 150 }} />
        {session.role !== 'agency' ? <Select aria-label="单位" placeholder="持有或涉及单位" allowClear options={agencyOptions} value={agency} onChange={setAgency} style={{ width: 200 }} /> : null}
        <Button onClick={reload}>刷新</Button>
      </Space>
      <Table<LeadRow>
        rowKey="leadId"
        size="middle"
        loading={loading}
        dataSource={rows}
        scroll={{ x: 1000 }}
        pagination={{ pageSize: 20, showTotal: (t) => `共 ${t} 条` }}
        columns={[
          { title: '台账编号', dataIndex: 'ledgerNo', width: 130, render: (v: string, r) => <Link to={`/leads/${r.leadId}`}>{v}</Link> },
          { title: '被反映人', dataIndex: 'subjectName', width: 100 },
          { title: '单位职务', render: (_, r) => `${r.subjectUnit}${r.subjectPost}`, ellipsis: true },
          { title: '来源', dataIndex: 'source', width: 120, render: (v: string) => label(LEAD_SOURCES, v) },
          { title: '报送单位', dataIndex: 'reportingAgency', width: 130, render: (v: string) => agencyName(v) },
          { title: '持有单位', dataIndex: 'holderAgency', width: 130, render: (v: string) => agencyName(v) },
          { title: '状态', dataIndex: 'status', width: 100, render: (v: string, r) => <Space size={4}>{label(LEAD_STATUSES, v)}{r.important ? <Tag color="red">重要</Tag> : null}</Space> },
          { title: '受理日期', dataIndex: 'receivedOn', width: 110 },
        ]}
      />
    </Card>
  );
}

// ─── 登记线索 ──────────────────────────────────────────────────────────────────────────────────────

interface RegisterValues {
  source?: string;
  reportingAgency?: string;
  subject?: { name?: string; post?: string; unit?: string; rank?: string };
  allegation?: string;
  category?: string;
  receivedOn?: Dayjs | null;
  important?: boolean;
  informant?: { name?: string; contact?: string };
}

export function RegisterLeadPage() {
  const { session, navigate } = useApp();
  const agencyOptions = useAgencyOptions();
  const [form] = Form.useForm<RegisterValues>();
  const [busy, setBusy] = useState(false);
  const { run } = useCommandRunner(() => undefined);
  // No rules in the browser: the API's validation is the one source of the messages, so the form shows
  // exactly what the API says (problem+json errors[].field → the field), in Chinese, and nothing else.
  const onFinish = async (v: RegisterValues) => {
    setBusy(true);
    const informant = v.informant && (v.informant.name || v.informant.contact) ? v.informant : undefined;
    const body = {
      source: v.source,
      reportingAgency: session.role === 'agency' ? session.agency : v.reportingAgency,
      subject: { name: v.subject?.name ?? '', post: v.subject?.post ?? '', unit: v.subject?.unit ?? '', ...(v.subject?.rank ? { rank: v.subject.rank } : {}) },
      allegation: v.allegation ?? '',
      ...(v.category ? { category: v.category } : {}),
      receivedOn: date(v.receivedOn),
      important: !!v.important,
      ...(informant ? { informant } : {}),
    };
    const r = await run(() => command<{ id: string; ledgerNo: string }>('POST', '/api/leads', body), { form, success: '线索已登记' });
    setBusy(false);
    if (r) navigate(`/leads/${r.id}`);
  };
  return (
    <Card title="登记问题线索">
      <Form form={form} layout="vertical" onFinish={onFinish} initialValues={{ reportingAgency: session.agency, important: false }} style={{ maxWidth: 880 }} data-testid="register-lead-form">
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item label="线索来源" name="source" required>
              <Select options={options(LEAD_SOURCES)} placeholder="请选择" aria-label="线索来源" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item label="报送单位" name="reportingAgency" required>
              <Select options={agencyOptions} disabled={session.role === 'agency'} aria-label="报送单位" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item label="被反映人姓名" name={['subject', 'name']} required>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item label="单位" name={['subject', 'unit']} required>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item label="职务" name={['subject', 'post']} required>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item label="职级" name={['subject', 'rank']}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item label="问题类别" name="category">
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item label="受理日期" name="receivedOn" required>
              <DatePicker style={{ width: '100%' }} aria-label="受理日期" />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item label="反映问题摘要" name="allegation" required>
              <Input.TextArea rows={4} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="important" valuePropName="checked">
              <Checkbox>重要线索</Checkbox>
            </Form.Item>
          </Col>
        </Row>
        <Collapse
          style={{ marginBottom: 16 }}
          items={[
            {
              key: 'informant',
              label: '举报人信息（保密：只记入事件的保密部分，任何页面、报表均不显示）',
              forceRender: true,
              children: (
                <Row gutter={16}>
                  <Col xs={24} md={12}>
                    <Form.Item label="举报人姓名" name={['informant', 'name']}>
                      <Input autoComplete="off" />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={12}>
                    <Form.Item label="联系方式" name={['informant', 'contact']}>
                      <Input autoComplete="off" />
                    </Form.Item>
                  </Col>
                </Row>
              ),
            },
          ]}
        />
        <Button type="primary" htmlType="submit" loading={busy}>
          登记
        </Button>
      </Form>
    </Card>
  );
}

// ─── 线索详情 ──────────────────────────────────────────────────────────────────────────────────────

type ModalKind = 'transfer' | 'return' | 'disposition' | 'conclusion' | 'file-case' | undefined;

export function LeadDetailPage({ id }: { id: string }) {
  const { session, agencyName, navigate } = useApp();
  const agencyOptions = useAgencyOptions();
  const { data, error, reload, loading } = useLoad(() => get<LeadRow>(`/api/leads/${id}`), [id]);
  const { run, conflict } = useCommandRunner(reload);
  const [modal, setModal] = useState<ModalKind>();
  useEffect(() => {
    if (conflict) setModal(undefined);
  }, [conflict]);
  const [historyKey, setHistoryKey] = useState(0);
  const lead = data?.data;
  const etag = data?.etag;
  const done = () => {
    reload();
    setHistoryKey((k) => k + 1);
  };

  const act = async (path: string, body?: unknown, success?: string, form?: FormInstance): Promise<boolean> => {
    const r = await run(() => command('POST', `/api/leads/${id}${path}`, body, etag), { form, success });
    if (r) done();
    return !!r;
  };

  if (error) return <LoadError error={error} onRetry={reload} />;
  if (!lead) return <Card loading={loading} />;

  const mine = session.agency;
  const incoming = !!lead.pendingTransferId && lead.pendingToAgency === mine;
  const canTransfer = session.role === 'office' && !lead.pendingTransferId && (lead.status === 'registered' || lead.status === 'disposed');
  const canDispose = (session.role === 'office' || lead.holderAgency === mine) && !lead.pendingTransferId && !lead.dispositionMethod && lead.status === 'registered';
  const canConclude = (session.role === 'office' || lead.holderAgency === mine) && !!lead.dispositionMethod && !lead.dispositionConcludedOn && (lead.dispositionMethod === 'talk-inquiry' || lead.dispositionMethod === 'preliminary-verification');
  const canFile = session.role === 'office' && lead.status !== 'converted' && !lead.pendingTransferId;

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      {conflict}
      <Card
        title={
          <Space>
            <span>问题线索 {lead.ledgerNo}</span>
            <Tag color="blue">{label(LEAD_STATUSES, lead.status)}</Tag>
            {lead.important ? <Tag color="red">重要</Tag> : null}
          </Space>
        }
        extra={<Typography.Text type="secondary">版本 {lead.version}</Typography.Text>}
      >
        <Descriptions column={{ xs: 1, md: 2, xl: 3 }} size="small" bordered>
          <Descriptions.Item label="被反映人">{lead.subjectName}</Descriptions.Item>
          <Descriptions.Item label="单位职务">
            {lead.subjectUnit}
            {lead.subjectPost}
            {lead.subjectRank ? `（${lead.subjectRank}）` : ''}
          </Descriptions.Item>
          <Descriptions.Item label="线索来源">{label(LEAD_SOURCES, lead.source)}</Descriptions.Item>
          <Descriptions.Item label="报送单位">{agencyName(lead.reportingAgency)}</Descriptions.Item>
          <Descriptions.Item label="持有单位">{agencyName(lead.holderAgency)}</Descriptions.Item>
          <Descriptions.Item label="受理日期">{lead.receivedOn}</Descriptions.Item>
          <Descriptions.Item label="问题类别">{lead.category ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="处置方式">{label(DISPOSITION_METHODS, lead.dispositionMethod)}</Descriptions.Item>
          <Descriptions.Item label="案件">{lead.caseId ? <Link to={`/cases/${lead.caseId}`}>{lead.caseNo}</Link> : '—'}</Descriptions.Item>
          {lead.pendingTransferId ? (
            <Descriptions.Item label="在途移送" span={3}>
              {agencyName(lead.pendingFromAgency)} → {agencyName(lead.pendingToAgency)}（{lead.pendingAcknowledged ? '已签收，待接收' : '待签收'}）
            </Descriptions.Item>
          ) : null}
          <Descriptions.Item label="反映问题摘要" span={3}>
            {lead.allegation}
          </Descriptions.Item>
        </Descriptions>
        <Space wrap style={{ marginTop: 16 }}>
          {canTransfer ? (
            <Button type="primary" onClick={() => setModal('transfer')}>
              移送
            </Button>
          ) : null}
          {incoming && !lead.pendingAcknowledged ? (
            <Button type="primary" onClick={() => act(`/transfers/${lead.pendingTransferId}/acknowledge`, undefined, '已签收')}>
              签收
            </Button>
          ) : null}
          {incoming && lead.pendingAcknowledged ? (
            <Button type="primary" onClick={() => act(`/transfers/${lead.pendingTransferId}/accept`, undefined, '已接收')}>
              接收
            </Button>
          ) : null}
          {incoming ? <Button onClick={() => setModal('return')}>退回</Button> : null}
          {canDispose ? <Button onClick={() => setModal('disposition')}>确定处置方式</Button> : null}
          {canConclude ? <Button onClick={() => setModal('conclusion')}>处置办结</Button> : null}
          {canFile ? <Button onClick={() => setModal('file-case')}>立案</Button> : null}
          <Button onClick={done}>刷新</Button>
        </Space>
      </Card>
      <RecordTimeline path={`/api/leads/${id}/history`} refreshKey={historyKey} />

      <CommandModal<{ toAgency: string; letterNo: string; reason: string }> title="线索移送" open={modal === 'transfer'} onClose={() => setModal(undefined)} submit={(v, form) => act('/transfers', v, '已移送', form)}>
        <Form.Item label="移送至" name="toAgency" required>
          <Select options={agencyOptions.filter((a) => a.value !== lead.holderAgency)} aria-label="移送至" />
        </Form.Item>
        <Form.Item label="移送函文号" name="letterNo" required>
          <Input placeholder={`县纪移〔${lead.year}〕1号`} />
        </Form.Item>
        <Form.Item label="移送理由" name="reason" required>
          <Input.TextArea rows={3} />
        </Form.Item>
      </CommandModal>
      <CommandModal<{ reason: string }> title="退回移送" open={modal === 'return'} onClose={() => setModal(undefined)} submit={(v, form) => act(`/transfers/${lead.pendingTransferId}/return`, v, '已退回', form)}>
        <Form.Item label="退回理由" name="reason" required>
          <Input.TextArea rows={3} />
        </Form.Item>
      </CommandModal>
      <CommandModal<{ method: string; rationale: string }> title="确定处置方式" open={modal === 'disposition'} onClose={() => setModal(undefined)} submit={(v, form) => act('/disposition', v, '处置方式已确定', form)}>
        <Form.Item label="处置方式" name="method" required>
          <Select options={options(DISPOSITION_METHODS)} aria-label="处置方式" />
        </Form.Item>
        <Form.Item label="处置理由" name="rationale" required>
          <Input.TextArea rows={3} />
        </Form.Item>
      </CommandModal>
      <CommandModal<{ conclusion: string }> title="处置办结" open={modal === 'conclusion'} onClose={() => setModal(undefined)} submit={(v, form) => act('/disposition/conclusion', v, '处置已办结', form)}>
        <Form.Item label="办结结论" name="conclusion" required>
          <Input.TextArea rows={3} />
        </Form.Item>
      </CommandModal>
      <CommandModal<{ title: string; leadAgency: string; coAgencies?: string[]; filedOn?: Dayjs; major?: boolean; difficult?: boolean }>
        title="立案"
        open={modal === 'file-case'}
        onClose={() => setModal(undefined)}
        initialValues={{ leadAgency: lead.holderAgency, coAgencies: [], title: `${lead.subjectName}案` }}
        submit={async (v, form) => {
          const r = await run(
            () => command<{ id: string }>('POST', '/api/cases', { title: v.title, leadIds: [id], leadAgency: v.leadAgency, coAgencies: v.coAgencies ?? [], filedOn: date(v.filedOn), major: !!v.major, difficult: !!v.difficult }),
            { form, success: '已立案' },
          );
          if (r) navigate(`/cases/${r.id}`);
          return !!r;
        }}
      >
        <Form.Item label="案件名称" name="title" required>
          <Input />
        </Form.Item>
        <Form.Item label="主办单位" name="leadAgency" required>
          <Select options={agencyOptions} aria-label="主办单位" />
        </Form.Item>
        <Form.Item label="协办单位" name="coAgencies">
          <Select mode="multiple" options={agencyOptions} aria-label="协办单位" />
        </Form.Item>
        <Form.Item label="立案日期" name="filedOn" required>
          <DatePicker style={{ width: '100%' }} aria-label="立案日期" />
        </Form.Item>
        <Space>
          <Form.Item name="major" valuePropName="checked">
            <Checkbox>重大案件</Checkbox>
          </Form.Item>
          <Form.Item name="difficult" valuePropName="checked">
            <Checkbox>疑难案件</Checkbox>
          </Form.Item>
        </Space>
      </CommandModal>
    </Space>
  );
}

// ─── 移送在途 / 待办移送 ───────────────────────────────────────────────────────────────────────────

export function TransfersPage() {
  const { session, agencyName } = useApp();
  const { data, loading, error, reload } = useLoad(() => getAll<LeadRow>('/api/leads', { status: 'in-transfer' }, leadsAfter), []);
  const { run, conflict } = useCommandRunner(reload);
  const [returning, setReturning] = useState<LeadRow>();
  const rows = (data ?? []).filter((r) => r.pendingTransferId);
  const incoming = session.role === 'agency' ? rows.filter((r) => r.pendingToAgency === session.agency) : rows;
  const outgoing = session.role === 'agency' ? rows.filter((r) => r.pendingFromAgency === session.agency) : [];
  const act = async (r: LeadRow, step: string, body?: unknown, success?: string, form?: FormInstance) => {
    const ok = await run(() => command('POST', `/api/leads/${r.leadId}/transfers/${r.pendingTransferId}/${step}`, body, r.version), { success, form });
    if (ok) reload();
    return !!ok;
  };
  const today = shanghaiToday();
  const table = (list: LeadRow[], actions: boolean) => (
    <Table<LeadRow>
      rowKey="leadId"
      size="middle"
      loading={loading}
      dataSource={list}
      pagination={{ pageSize: 20 }}
      scroll={{ x: 900 }}
      columns={[
        { title: '台账编号', dataIndex: 'ledgerNo', width: 130, render: (v: string, r) => <Link to={`/leads/${r.leadId}`}>{v}</Link> },
        { title: '被反映人', render: (_, r) => `${r.subjectName}（${r.subjectUnit}${r.subjectPost}）` },
        { title: '移送单位', dataIndex: 'pendingFromAgency', width: 130, render: (v: string) => agencyName(v) },
        { title: '接收单位', dataIndex: 'pendingToAgency', width: 130, render: (v: string) => agencyName(v) },
        { title: '状态', dataIndex: 'pendingAcknowledged', width: 110, render: (v: boolean) => (v ? <Tag color="blue">已签收待接收</Tag> : <Tag color="orange">待签收</Tag>) },
        ...(actions
          ? [
              {
                title: '操作',
                width: 190,
                render: (_: unknown, r: LeadRow) => (
                  <Space>
                    {!r.pendingAcknowledged ? (
                      <Button size="small" type="primary" onClick={() => act(r, 'acknowledge', undefined, `${r.ledgerNo} 已签收`)}>
                        签收
                      </Button>
                    ) : (
                      <Button size="small" type="primary" onClick={() => act(r, 'accept', undefined, `${r.ledgerNo} 已接收`)}>
                        接收
                      </Button>
                    )}
                    <Button size="small" onClick={() => setReturning(r)}>
                      退回
                    </Button>
                  </Space>
                ),
              },
            ]
          : []),
      ]}
    />
  );
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      {conflict}
      <LoadError error={error} onRetry={reload} />
      <Card title={session.role === 'agency' ? '移送给本单位的线索（签收 / 接收 / 退回）' : `移送在途（截至 ${today}）`} extra={<Button onClick={reload}>刷新</Button>}>
        {table(incoming, session.role === 'agency')}
      </Card>
      {session.role === 'agency' ? <Card title="本单位移出、对方尚未接收的线索">{table(outgoing, false)}</Card> : null}
      <CommandModal<{ reason: string }>
        title={`退回 ${returning?.ledgerNo ?? ''}`}
        open={!!returning}
        onClose={() => setReturning(undefined)}
        submit={(v, form) => (returning ? act(returning, 'return', v, '已退回', form) : Promise.resolve(false))}
      >
        <Form.Item label="退回理由" name="reason" required>
          <Input.TextArea rows={3} />
        </Form.Item>
      </CommandModal>
    </Space>
  );
}
