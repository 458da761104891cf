import { Alert, Button, Card, Descriptions, List, Select, Space, Typography, Upload } from 'antd';
import { useState } from 'react';
import { ApiError, download, get, upload, type FieldError } from '../api';
import { useApp } from '../app-context';
import { LoadError, useLoad } from '../components/common';
import { shanghaiToday, yuan } from '../model';

const SECTION_LABELS: Record<string, string> = {
  leads: '问题线索',
  transfers: '线索移送',
  dispositions: '线索处置',
  cases: '立案查处',
  sanctions: '党纪政务处分',
  judicialTransfers: '移送司法',
  recoveries: '挽回经济损失',
  supervision: '督办事项',
  meetings: '联席会议',
  cumulative: '累计',
};
const KEY_LABELS: Record<string, string> = {
  total: '总数',
  important: '重要线索',
  acknowledgedInTime: '按时签收',
  acknowledgedLate: '逾期签收',
  awaitingAcknowledgement: '待签收',
  acknowledgementOverdue: '签收逾期',
  decidedInTime: '按时接收/退回',
  decidedLate: '逾期接收/退回',
  awaitingDecision: '待接收',
  decisionOverdue: '接收逾期',
  concluded: '已办结',
  filed: '立案',
  closed: '结案',
  major: '重大案件',
  difficult: '疑难案件',
  openAsOf: '期末在办',
  totalFen: '金额',
  entryCount: '笔数',
  caseCount: '涉及案件',
  opened: '交办',
  completed: '办结',
  completedLate: '逾期办结',
  overdue: '逾期未办',
  held: '召开',
  regular: '例会',
  special: '专题会',
  decisions: '决定事项',
  decisionsPassed: '通过',
  since: '起算日期',
  casesFiled: '累计立案',
  recoveredFen: '累计挽损',
};

type Breakdown = { key: string; label: string; count?: number; totalFen?: number }[];

function FigureValue({ k, v }: { k: string; v: unknown }) {
  if (typeof v === 'number') return <>{k.endsWith('Fen') ? yuan(v) : v}</>;
  if (Array.isArray(v)) return <>{(v as Breakdown).map((r) => `${r.label} ${r.totalFen !== undefined ? yuan(r.totalFen) : `${r.count ?? ''}`}`).join('；') || '无'}</>;
  if (v && typeof v === 'object') return <>{Object.entries(v as Record<string, unknown>).map(([a, b]) => `${KEY_LABELS[a] ?? a} ${String(b)}`).join('；')}</>;
  return <>{String(v ?? '—')}</>;
}

const BREAKDOWN_LABELS: Record<string, string> = {
  bySource: '按来源',
  byAgency: '按单位',
  byOutcome: '按结果',
  byReceivingAgency: '按接收单位',
  byMethod: '按方式',
  filedByAgency: '按主办单位',
  byKind: '按种类',
  byLevel: '按级别',
  byCategory: '按类别',
  clocks: '时限（工作日）',
};

/** 定期报告（预览、下载）, 台账导出, 历史台账导入 with the API's row-numbered errors. */
export function ReportsPage() {
  const { session } = useApp();
  const year = shanghaiToday().slice(0, 4);
  const [preset, setPreset] = useState(year);
  const presets = [year, `${year}-H1`, `${year}-H2`, String(Number(year) - 1)].map((p) => ({ value: p, label: p.endsWith('-H1') ? `${p.slice(0, 4)}年上半年` : p.endsWith('-H2') ? `${p.slice(0, 4)}年下半年` : `${p}年度` }));
  const { data, error, reload, loading } = useLoad(() => get<{ title: string; figures: Record<string, unknown> }>('/api/reports/periodic', { preset }).then((r) => r.data), [preset]);
  const [importKind, setImportKind] = useState<string>('cases');
  const [importResult, setImportResult] = useState<{ ok: boolean; text: string; errors: FieldError[] }>();
  const [busy, setBusy] = useState<string>();
  const [downloadError, setDownloadError] = useState<string>();

  const fetchFile = async (key: string, path: string, query?: Record<string, string>) => {
    setBusy(key);
    setDownloadError(undefined);
    try {
      await download(path, query);
    } catch (e) {
      setDownloadError(e instanceof ApiError ? e.detail : String(e));
    } finally {
      setBusy(undefined);
    }
  };

  const onUpload = async (file: File) => {
    setImportResult(undefined);
    try {
      const r = await upload<{ written: boolean; imported: { leads: number; cases: number; recoveries: number }; skipped: number }>('/api/ledgers/import', { kind: importKind, fileName: file.name }, file);
      setImportResult({ ok: true, text: r.written ? `导入完成：线索 ${r.imported.leads} 条，案件 ${r.imported.cases} 件，挽损 ${r.imported.recoveries} 笔；跳过已存在 ${r.skipped} 条` : '文件中的记录均已导入过，未写入新记录', errors: [] });
    } catch (e) {
      if (e instanceof ApiError) setImportResult({ ok: false, text: e.detail, errors: e.errors });
      else setImportResult({ ok: false, text: String(e), errors: [] });
    }
  };

  const figures = data?.figures ?? {};
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      {downloadError ? <Alert type="error" showIcon title={downloadError} closable onClose={() => setDownloadError(undefined)} /> : null}
      <Card
        title="定期报告"
        extra={
          <Space wrap>
            <Select aria-label="报告期间" value={preset} onChange={setPreset} options={presets} style={{ width: 160 }} />
            <Button loading={busy === 'docx'} onClick={() => fetchFile('docx', '/api/reports/periodic.docx', { preset })}>
              下载 Word
            </Button>
            <Button loading={busy === 'xlsx'} onClick={() => fetchFile('xlsx', '/api/reports/periodic.xlsx', { preset })}>
              下载 Excel
            </Button>
          </Space>
        }
        loading={loading && !data}
      >
        <LoadError error={error} onRetry={reload} />
        {data ? (
          <>
            <Typography.Title level={5}>{data.title}（未印发稿，实时数据）</Typography.Title>
            {Object.entries(figures)
              .filter(([k]) => SECTION_LABELS[k])
              .map(([k, v]) => (
                <Descriptions key={k} title={SECTION_LABELS[k]} size="small" bordered column={{ xs: 1, md: 2, xl: 4 }} style={{ marginBottom: 12 }}>
                  {Object.entries(v as Record<string, unknown>).map(([fk, fv]) => (
                    <Descriptions.Item key={fk} label={KEY_LABELS[fk] ?? BREAKDOWN_LABELS[fk] ?? fk} span={Array.isArray(fv) ? 2 : 1}>
                      <FigureValue k={fk} v={fv} />
                    </Descriptions.Item>
                  ))}
                </Descriptions>
              ))}
          </>
        ) : null}
      </Card>
      <Card title="台账导出（Excel）">
        <Space wrap>
          <Button loading={busy === 'leads'} onClick={() => fetchFile('leads', '/api/ledgers/leads.xlsx')}>
            线索台账
          </Button>
          <Button loading={busy === 'cases'} onClick={() => fetchFile('cases', '/api/ledgers/cases.xlsx')}>
            案件台账
          </Button>
          <Button loading={busy === 'sup'} onClick={() => fetchFile('sup', '/api/ledgers/supervision-items.xlsx')}>
            督办台账
          </Button>
          <Button loading={busy === 'rec'} onClick={() => fetchFile('rec', '/api/ledgers/recoveries.xlsx')}>
            挽损台账
          </Button>
        </Space>
      </Card>
      {session.role === 'office' ? (
        <Card title="历史台账导入">
          <Typography.Paragraph type="secondary">上传 .xlsx（可含“线索 / 案件 / 挽损”多个工作表）或 .csv 文件。系统先校验全部行，有任何错误则不写入，并逐行列出错误；重复导入不会重复写入。</Typography.Paragraph>
          <Space wrap>
            <Select
              aria-label="台账类别"
              value={importKind}
              onChange={setImportKind}
              style={{ width: 140 }}
              options={[
                { value: 'leads', label: '线索台账' },
                { value: 'cases', label: '案件台账' },
                { value: 'recoveries', label: '挽损台账' },
              ]}
            />
            <Upload
              accept=".xlsx,.csv"
              showUploadList={false}
              beforeUpload={(file) => {
                void onUpload(file.name.toLowerCase().endsWith('.csv') && !file.type ? new File([file], file.name, { type: 'text/csv' }) : file);
                return false;
              }}
            >
              <Button type="primary">选择文件并导入</Button>
            </Upload>
          </Space>
          {importResult ? (
            <Alert
              style={{ marginTop: 16 }}
              type={importResult.ok ? 'success' : 'error'}
              showIcon
              title={importResult.text}
              data-testid="import-result"
              description={
                importResult.errors.length ? (
                  <List size="small" dataSource={importResult.errors} renderItem={(e) => <List.Item>{e.field.replace(/^(\w+ )?row (\d+): /, (_m, kind: string | undefined, row: string) => `${kind ? `${kind.trim()} ` : ''}第 ${row} 行 `)}：{e.message}</List.Item>} />
                ) : undefined
              }
            />
          ) : null}
        </Card>
      ) : null}
    </Space>
  );
}
