import { Alert, Button, Card, Descriptions, Form, Input, Select, Space, Table, Tag, Typography, type FormInstance } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError, command, download, get, getAll, openHtml } from '../api';
import { Link, useApp } from '../app-context';
import { CommandModal } from '../components/command-modal';
import { LoadError, useCommandRunner, useLoad } from '../components/common';
import { RecordTimeline } from '../components/timeline';
import { BULLETIN_SECTIONS, BULLETIN_STATUSES, label, shanghaiToday, type BulletinDetail, type BulletinRow, type CaseRow } from '../model';

const thisYear = Number(shanghaiToday().slice(0, 4));

/** 《案情专报》登记簿: issued ones by year and number; unnumbered drafts on top when no year is chosen. */
export function BulletinsPage() {
  const { session, navigate } = useApp();
  const [year, setYear] = useState<number | undefined>(thisYear);
  const [drafting, setDrafting] = useState(false);
  const { data, loading, error, reload } = useLoad(() => getAll<BulletinRow>('/api/bulletins', { year }), [year]);
  const office = session.role === 'office';
  // only major (重大) or difficult (疑难) cases may get a bulletin; the API checks it again on the case stream
  const cases = useLoad(() => (office && drafting ? getAll<CaseRow>('/api/cases') : Promise.resolve([] as CaseRow[])), [office, drafting]);
  const { run } = useCommandRunner(reload);
  const eligible = (cases.data ?? []).filter((c) => c.major || c.difficult);
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <LoadError error={error} onRetry={reload} />
      <Card
        title="《案情专报》"
        extra={
          <Space wrap>
            <span>年度</span>
            <Select
              aria-label="年度"
              style={{ width: 140 }}
              value={year ?? 0}
              onChange={(v) => setYear(v === 0 ? undefined : v)}
              options={[{ value: 0, label: '全部（含草稿）' }, ...[0, 1, 2, 3, 4].map((d) => ({ value: thisYear - d, label: `${thisYear - d} 年` }))]}
            />
            {office ? (
              <Button type="primary" onClick={() => setDrafting(true)}>
                拟写专报
              </Button>
            ) : null}
            <Button onClick={reload}>刷新</Button>
          </Space>
        }
      >
        <Table<BulletinRow>
          rowKey="bulletinId"
          size="middle"
          loading={loading}
          dataSource={data ?? []}
          pagination={{ pageSize: 20 }}
          scroll={{ x: 900 }}
          columns={[
            { title: '期号', dataIndex: 'issueNo', width: 150, render: (v: string | null, r) => <Link to={`/bulletins/${r.bulletinId}`}>{v ?? '（未编号）'}</Link> },
            {
              title: '标题',
              dataIndex: 'title',
              render: (v: string, r) => (
                <Space size={4}>
                  {v}
                  {r.correctsIssueNo ? <Tag color="orange">更正 {r.correctsIssueNo}</Tag> : null}
                  {r.correctedBy.length ? <Tag>已更正</Tag> : null}
                </Space>
              ),
            },
            { title: '案件', dataIndex: 'caseNo', width: 130, render: (v: string, r) => <Link to={`/cases/${r.caseId}`}>{v}</Link> },
            { title: '拟稿', dataIndex: 'draftedOn', width: 110 },
            { title: '签发', dataIndex: 'approvedOn', width: 110, render: (v: string | null) => v ?? '—' },
            { title: '印发', dataIndex: 'issuedOn', width: 110, render: (v: string | null) => v ?? '—' },
            { title: '状态', dataIndex: 'status', width: 90, render: (v: string) => <Tag>{label(BULLETIN_STATUSES, v)}</Tag> },
          ]}
        />
      </Card>
      <CommandModal<{ caseId?: string; title?: string; nextSteps?: string }>
        title="拟写《案情专报》"
        open={drafting}
        onClose={() => setDrafting(false)}
        okText="拟稿"
        submit={async (v, form) => {
          if (!v.caseId) {
            form.setFields([{ name: 'caseId', errors: ['请选择重大或疑难案件'] }]);
            return false;
          }
          const r = await run(() => command('POST', `/api/cases/${v.caseId}/bulletins`, { ...(v.title ? { title: v.title } : {}), ...(v.nextSteps ? { nextSteps: v.nextSteps } : {}) }), { form, success: '专报草稿已生成' });
          if (r?.id) navigate(`/bulletins/${r.id}`);
          return !!r;
        }}
      >
        <Form.Item label="案件" name="caseId" required extra="仅重大或疑难案件可报送《案情专报》；正文由系统根据案件办理情况拟写">
          <Select aria-label="案件" showSearch optionFilterProp="label" loading={cases.loading} options={eligible.map((c) => ({ value: c.caseId, label: `${c.caseNo} ${c.title}${c.major ? '（重大）' : ''}${c.difficult ? '（疑难）' : ''}` }))} />
        </Form.Item>
        <Form.Item label="标题（可选）" name="title">
          <Input />
        </Form.Item>
        <Form.Item label="下一步工作（可选）" name="nextSteps">
          <Input.TextArea rows={3} />
        </Form.Item>
      </CommandModal>
    </Space>
  );
}

type ModalKind = 'approve' | 'issue' | 'correct' | undefined;

export function BulletinDetailPage({ id }: { id: string }) {
  const { session, navigate } = useApp();
  const { data, error, reload, loading } = useLoad(() => get<BulletinDetail>(`/api/bulletins/${id}`), [id]);
  const { run, conflict } = useCommandRunner(reload);
  const [modal, setModal] = useState<ModalKind>();
  const [editing, setEditing] = useState(false);
  const [form] = Form.useForm<{ title: string; sections: Record<string, string> }>();
  const [fileError, setFileError] = useState<string>();
  useEffect(() => {
    if (conflict) {
      setModal(undefined);
      setEditing(false);
    }
  }, [conflict]);
  if (error) return <LoadError error={error} onRetry={reload} />;
  if (!data) return <Card loading={loading} />;
  const b = data.data;
  const office = session.role === 'office';
  const leader = session.role === 'leadership';
  const act = async (path: string, body: unknown, success: string, f?: FormInstance): Promise<boolean> => {
    const r = await run(() => command('POST', `/api/bulletins/${id}${path}`, body, data.etag), { form: f, success });
    if (r) reload();
    return !!r;
  };
  const save = async () => {
    const v = form.getFieldsValue(true) as { title: string; sections: Record<string, string> };
    // only what changed is sent: an edit never rewrites a section the clerk did not touch
    const sections = Object.fromEntries(Object.entries(v.sections ?? {}).filter(([k, text]) => text !== b.content.sections[k]));
    const body = { ...(v.title !== b.content.title ? { title: v.title } : {}), ...(Object.keys(sections).length ? { sections } : {}) };
    const r = await run(() => command('PATCH', `/api/bulletins/${id}`, body, data.etag), { form, success: b.status === 'approved' ? '草稿已修改，原签发失效，须重新签发' : '草稿已修改' });
    if (r) {
      setEditing(false);
      reload();
    }
  };
  const files = async (kind: 'docx' | 'html') => {
    setFileError(undefined);
    try {
      if (kind === 'docx') await download(`/api/bulletins/${id}.docx`, undefined, '案情专报.docx');
      else await openHtml(`/api/bulletins/${id}.html`);
    } catch (e) {
      setFileError(e instanceof ApiError ? e.detail : String(e));
    }
  };
  const number = b.issue?.issueNo ?? '（未编号）';
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      {conflict}
      {fileError ? <Alert type="error" showIcon title="下载失败" description={fileError} closable onClose={() => setFileError(undefined)} /> : null}
      <Card
        title={
          <Space wrap>
            <span data-testid="bulletin-number">案情专报 {number}</span>
            <Tag color={b.status === 'issued' ? 'green' : b.status === 'approved' ? 'gold' : 'blue'} data-testid="bulletin-status">
              {label(BULLETIN_STATUSES, b.status)}
            </Tag>
          </Space>
        }
        extra={
          <Typography.Text type="secondary">
            第 {b.revision} 稿 · 版本 {b.version}
          </Typography.Text>
        }
      >
        <Descriptions column={{ xs: 1, md: 2, xl: 3 }} size="small" bordered>
          <Descriptions.Item label="案件">
            <Link to={`/cases/${b.caseId}`}>{b.caseNo}</Link>
          </Descriptions.Item>
          <Descriptions.Item label="拟稿">
            {b.drafter.name}（{b.draftedOn}）
          </Descriptions.Item>
          <Descriptions.Item label="签发">{b.approval ? `${b.approval.approver.name}（${b.approval.approvedOn}，第 ${b.approval.revision} 稿）${b.approval.opinion ? `：${b.approval.opinion}` : ''}` : '待组长签发'}</Descriptions.Item>
          {b.issue ? (
            <>
              <Descriptions.Item label="印发">
                {b.issue.issuer}（{b.issue.issuedOn}）
              </Descriptions.Item>
              <Descriptions.Item label="主送">{b.issue.distribution.mainTo.join('、')}</Descriptions.Item>
              <Descriptions.Item label="抄送">{b.issue.distribution.copyTo?.length ? b.issue.distribution.copyTo.join('、') : '—'}</Descriptions.Item>
            </>
          ) : null}
          {b.corrects ? (
            <Descriptions.Item label="更正" span={3}>
              更正 <Link to={`/bulletins/${b.corrects.bulletinId}`}>{b.corrects.issueNo}</Link>：{b.corrects.reason}
            </Descriptions.Item>
          ) : null}
          {b.correctedBy.length ? (
            <Descriptions.Item label="更正专报" span={3}>
              {b.correctedBy.map((c) => (
                <Link key={c} to={`/bulletins/${c}`}>
                  查看更正专报{' '}
                </Link>
              ))}
            </Descriptions.Item>
          ) : null}
        </Descriptions>
        <Space wrap style={{ marginTop: 16 }}>
          {office && b.status !== 'issued' && !editing ? (
            <Button
              onClick={() => {
                form.setFieldsValue({ title: b.content.title, sections: { ...b.content.sections } });
                setEditing(true);
              }}
            >
              修改草稿
            </Button>
          ) : null}
          {leader && b.status === 'draft' ? (
            <Button type="primary" onClick={() => setModal('approve')}>
              签发
            </Button>
          ) : null}
          {office && b.status === 'approved' ? (
            <Button type="primary" onClick={() => setModal('issue')}>
              印发
            </Button>
          ) : null}
          {office && b.status === 'issued' ? <Button onClick={() => setModal('correct')}>拟写更正专报</Button> : null}
          <Button data-testid="download-docx" onClick={() => files('docx')}>
            下载 Word（DOCX）
          </Button>
          <Button onClick={() => files('html')}>打印版（HTML）</Button>
          <Button onClick={reload}>刷新</Button>
        </Space>
      </Card>
      {editing ? (
        <Card
          title="修改草稿"
          extra={
            <Space>
              <Button onClick={() => setEditing(false)}>取消</Button>
              <Button type="primary" onClick={save}>
                保存
              </Button>
            </Space>
          }
        >
          {b.status === 'approved' ? <Alert type="warning" showIcon title="该稿已经组长签发；修改后原签发失效，须重新签发" style={{ marginBottom: 12 }} /> : null}
          <Form form={form} name="bulletin-edit" layout="vertical">
            <Form.Item label="标题" name="title">
              <Input />
            </Form.Item>
            {BULLETIN_SECTIONS.map(([key, name]) => (
              <Form.Item key={key} label={name} name={['sections', key]}>
                <Input.TextArea autoSize={{ minRows: 2, maxRows: 10 }} />
              </Form.Item>
            ))}
          </Form>
        </Card>
      ) : (
        <Card title={b.content.title} data-testid="bulletin-text">
          {BULLETIN_SECTIONS.map(([key, name]) => (
            <div key={key}>
              <Typography.Title level={5}>{name}</Typography.Title>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{b.content.sections[key] || '—'}</Typography.Paragraph>
            </div>
          ))}
        </Card>
      )}
      <RecordTimeline path={`/api/bulletins/${id}/history`} refreshKey={data} />
      <CommandModal<{ signerName?: string; opinion?: string }>
        title="组长签发"
        open={modal === 'approve'}
        onClose={() => setModal(undefined)}
        okText="签发"
        submit={(v, f) => act('/approve', { revision: b.revision, ...(v.signerName ? { signerName: v.signerName } : {}), ...(v.opinion ? { opinion: v.opinion } : {}) }, '已签发', f)}
      >
        <Typography.Paragraph>签发第 {b.revision} 稿；如签发前草稿又被修改，系统将拒绝本次签发。</Typography.Paragraph>
        <Form.Item label="签发人姓名" name="signerName" extra="印在专报上的签发人；不填则为账号名">
          <Input />
        </Form.Item>
        <Form.Item label="签发意见" name="opinion">
          <Input.TextArea rows={2} />
        </Form.Item>
      </CommandModal>
      <CommandModal<{ distribution?: { mainTo?: string[]; copyTo?: string[] }; issuer?: string }>
        title="印发"
        open={modal === 'issue'}
        onClose={() => setModal(undefined)}
        okText="印发"
        submit={(v, f) => act('/issue', { distribution: { mainTo: v.distribution?.mainTo ?? [], ...(v.distribution?.copyTo?.length ? { copyTo: v.distribution.copyTo } : {}) }, ...(v.issuer ? { issuer: v.issuer } : {}) }, '已印发', f)}
      >
        <Typography.Paragraph>印发时按年度顺序编号（〔年〕第N期），印发后正文不可更改。</Typography.Paragraph>
        <Form.Item label="主送" name={['distribution', 'mainTo']} required extra="输入后按回车，可填多个">
          <Select mode="tags" aria-label="主送" open={false} tokenSeparators={['、', ',', '，']} />
        </Form.Item>
        <Form.Item label="抄送" name={['distribution', 'copyTo']} extra="输入后按回车，可填多个">
          <Select mode="tags" aria-label="抄送" open={false} tokenSeparators={['、', ',', '，']} />
        </Form.Item>
        <Form.Item label="印发单位" name="issuer" extra="不填则为“XX县反腐败协调小组”">
          <Input />
        </Form.Item>
      </CommandModal>
      <CommandModal<{ reason: string }>
        title="拟写更正专报"
        open={modal === 'correct'}
        onClose={() => setModal(undefined)}
        submit={async (v, f) => {
          const r = await run(() => command('POST', `/api/bulletins/${id}/corrections`, { reason: v.reason }, data.etag), { form: f, success: '更正专报草稿已生成' });
          if (r?.id) navigate(`/bulletins/${r.id}`);
          return !!r;
        }}
      >
        <Form.Item label="更正理由" name="reason" required>
          <Input.TextArea rows={3} />
        </Form.Item>
      </CommandModal>
    </Space>
  );
}
