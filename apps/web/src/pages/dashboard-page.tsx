import { Button, Card, Col, DatePicker, Drawer, Row, Space, Statistic, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState, type ReactNode } from 'react';
import { get, getAll } from '../api';
import { Link, useApp } from '../app-context';
import { Chart } from '../components/chart';
import { LoadError, useLoad } from '../components/common';
import { CASE_STATUSES, LEAD_SOURCES, LEAD_STATUSES, label, leadsAfter, shanghaiToday, yuan, type CaseRow, type LeadRow, type OverdueList, type RecoveredLosses } from '../model';
import { OverdueList as OverdueListTable } from './overdue-pages';

interface Drill {
  title: string;
  content: ReactNode;
}

const FLOW_STEPS = ['立案', '在办', '移送司法', '结案'] as const;

/**
 * 领导驾驶舱: recovered losses by year and by agency, leads by source, case flow (filed → closed) and
 * overdue items by agency for a chosen period. Every bar or slice opens the rows behind it; the buttons
 * under each chart do the same from the keyboard.
 */
export function DashboardPage() {
  const { agencyName } = useApp();
  const today = shanghaiToday();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs(today).subtract(4, 'year').startOf('year'), dayjs(today)]);
  const [drill, setDrill] = useState<Drill>();
  const from = range[0].format('YYYY-MM-DD');
  const to = range[1].format('YYYY-MM-DD');
  const overdueAsOf = to < today ? to : today;
  const { data, loading, error, reload } = useLoad(async () => {
    const [byYear, byAgency, leads, cases, overdue] = await Promise.all([
      get<RecoveredLosses>('/api/reports/recovered-losses', { groupBy: 'year', from, to }),
      get<RecoveredLosses>('/api/reports/recovered-losses', { groupBy: 'agency', from, to }),
      getAll<LeadRow>('/api/leads', {}, leadsAfter),
      getAll<CaseRow>('/api/cases'),
      // the counts only (total and by agency come with every page); the drill-down pages through the items
      get<OverdueList>('/api/follow-ups/overdue', { asOf: overdueAsOf, limit: 1 }),
    ]);
    return {
      byYear: byYear.data,
      byAgency: byAgency.data,
      leads: leads.filter((l) => l.receivedOn >= from && l.receivedOn <= to),
      cases: cases.filter((c) => c.filedOn >= from && c.filedOn <= to),
      overdue: overdue.data,
    };
  }, [from, to, overdueAsOf]);

  const view = useMemo(() => {
    if (!data) return undefined;
    const sources = Object.keys(LEAD_SOURCES)
      .map((s) => ({ key: s, name: LEAD_SOURCES[s], value: data.leads.filter((l) => l.source === s).length }))
      .filter((s) => s.value > 0);
    const flow: Record<(typeof FLOW_STEPS)[number], CaseRow[]> = {
      立案: data.cases,
      在办: data.cases.filter((c) => c.status !== 'closed'),
      移送司法: data.cases.filter((c) => !!c.judicialTransferOn),
      结案: data.cases.filter((c) => c.status === 'closed'),
    };
    const overdueAgencies = Object.entries(data.overdue.byAgency).map(([a, value]) => ({ key: a, name: agencyName(a), value })).sort((a, b) => b.value - a.value);
    return { sources, flow, overdueAgencies };
  }, [data, agencyName]);

  const leadTable = (rows: LeadRow[]) => (
    <Table<LeadRow>
      rowKey="leadId"
      size="small"
      dataSource={rows}
      pagination={{ pageSize: 15 }}
      columns={[
        { title: '台账编号', dataIndex: 'ledgerNo', render: (v: string, r) => <Link to={`/leads/${r.leadId}`}>{v}</Link> },
        { title: '被反映人', dataIndex: 'subjectName' },
        { title: '持有单位', dataIndex: 'holderAgency', render: (v: string) => agencyName(v) },
        { title: '状态', dataIndex: 'status', render: (v: string) => label(LEAD_STATUSES, v) },
        { title: '受理日期', dataIndex: 'receivedOn' },
      ]}
    />
  );
  const caseTable = (rows: CaseRow[]) => (
    <Table<CaseRow>
      rowKey="caseId"
      size="small"
      dataSource={rows}
      pagination={{ pageSize: 15 }}
      columns={[
        { title: '案件编号', dataIndex: 'caseNo', render: (v: string, r) => <Link to={`/cases/${r.caseId}`}>{v}</Link> },
        { title: '案件名称', dataIndex: 'title' },
        { title: '主办单位', dataIndex: 'leadAgency', render: (v: string) => agencyName(v) },
        { title: '状态', dataIndex: 'status', render: (v: string) => label(CASE_STATUSES, v) },
        { title: '挽回损失', dataIndex: 'recoveredFen', align: 'right', render: (v: number) => yuan(v) },
      ]}
    />
  );

  const drillYear = async (key: string, name: string) => {
    const yFrom = `${key}-01-01` > from ? `${key}-01-01` : from;
    const yTo = `${key}-12-31` < to ? `${key}-12-31` : to;
    const r = await get<RecoveredLosses>('/api/reports/recovered-losses', { groupBy: 'case', from: yFrom, to: yTo });
    setDrill({
      title: `${name}挽回经济损失（按案件）`,
      content: (
        <Table
          rowKey="key"
          size="small"
          dataSource={r.data.rows}
          pagination={false}
          summary={() => (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>合计</Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right">
                {yuan(r.data.totalFen)}
              </Table.Summary.Cell>
            </Table.Summary.Row>
          )}
          columns={[
            { title: '案件', dataIndex: 'label', render: (v: string, row: { key: string }) => <Link to={`/cases/${row.key}`}>{v}</Link> },
            { title: '金额', dataIndex: 'totalFen', align: 'right', render: (v: number) => yuan(v) },
          ]}
        />
      ),
    });
  };
  const drillAgency = (key: string, name: string) => {
    const rows = (data?.cases ?? []).filter((c) => c.leadAgency === key || c.coAgencies.includes(key));
    setDrill({ title: `${name}承办（主办或协办）的案件`, content: caseTable(rows) });
  };
  const drillSource = (key: string) => setDrill({ title: `来源为“${label(LEAD_SOURCES, key)}”的线索`, content: leadTable((data?.leads ?? []).filter((l) => l.source === key)) });
  const drillFlow = (step: (typeof FLOW_STEPS)[number]) => setDrill({ title: `案件流转：${step}`, content: caseTable(view?.flow[step] ?? []) });
  const drillOverdue = (agency: string) => setDrill({ title: `${agencyName(agency)}逾期事项（截至 ${overdueAsOf}）`, content: <OverdueListTable asOf={overdueAsOf} agency={agency} /> });

  const keys = (list: { key: string; name: string }[], onPick: (key: string, name: string) => void, testPrefix: string) => (
    <Space wrap size={4}>
      <Typography.Text type="secondary">明细：</Typography.Text>
      {list.map((k) => (
        <Button key={k.key} size="small" type="link" onClick={() => onPick(k.key, k.name)} data-testid={`${testPrefix}-${k.key}`}>
          {k.name}
        </Button>
      ))}
    </Space>
  );

  const bar = (names: string[], values: number[], money = false) => ({
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => (money ? yuan(v * 100) : String(v)) },
    grid: { left: 60, right: 16, top: 24, bottom: 40, containLabel: true },
    xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: names.length > 5 ? 30 : 0 } },
    yAxis: { type: 'value', name: money ? '万元' : '', axisLabel: money ? { formatter: (v: number) => (v / 10000).toLocaleString('zh-CN') } : undefined },
    series: [{ type: 'bar', data: values, itemStyle: { color: '#b7282e' }, barMaxWidth: 48 }],
  });

  const yearRows = data?.byYear.rows ?? [];
  const agencyRows = data?.byAgency.rows ?? [];
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title="领导驾驶舱"
        extra={
          <Space wrap>
            <span>统计期间</span>
            <DatePicker.RangePicker
              aria-label="统计期间"
              value={range}
              allowClear={false}
              onChange={(v) => v && v[0] && v[1] && setRange([v[0], v[1]])}
              presets={[
                { label: '本年', value: [dayjs(today).startOf('year'), dayjs(today)] },
                { label: '上年', value: [dayjs(today).subtract(1, 'year').startOf('year'), dayjs(today).subtract(1, 'year').endOf('year')] },
                { label: '近五年', value: [dayjs(today).subtract(4, 'year').startOf('year'), dayjs(today)] },
              ]}
            />
            <Button onClick={reload}>刷新</Button>
          </Space>
        }
      >
        <LoadError error={error} onRetry={reload} />
        <Row gutter={16}>
          <Col xs={12} lg={6}>
            <div data-testid="dashboard-recovered-total">
              <Statistic title="挽回经济损失" value={data ? yuan(data.byYear.totalFen) : '—'} loading={loading && !data} />
            </div>
          </Col>
          <Col xs={12} lg={6}>
            <div data-testid="dashboard-lead-count">
              <Statistic title="受理线索（件）" value={data?.leads.length ?? '—'} />
            </div>
          </Col>
          <Col xs={12} lg={6}>
            <div data-testid="dashboard-case-count">
              <Statistic title="立案 / 结案（件）" value={data ? `${data.cases.length} / ${view?.flow['结案'].length ?? 0}` : '—'} />
            </div>
          </Col>
          <Col xs={12} lg={6}>
            <div data-testid="dashboard-overdue-count">
              <Statistic title={`逾期事项（截至 ${overdueAsOf}）`} value={data?.overdue.total ?? '—'} valueStyle={{ color: '#cf1322' }} />
            </div>
          </Col>
        </Row>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card title="挽回经济损失（按年度）" size="small">
            <Chart label="挽回经济损失按年度柱状图" testId="chart-recovered-year" option={bar(yearRows.map((r) => r.label), yearRows.map((r) => r.totalFen / 100), true)} onPick={(c) => void drillYear(yearRows[c.dataIndex].key, yearRows[c.dataIndex].label)} />
            {keys(yearRows.map((r) => ({ key: r.key, name: r.label })), (k, n) => void drillYear(k, n), 'drill-year')}
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title="挽回经济损失（按单位）" size="small">
            <Chart label="挽回经济损失按单位柱状图" testId="chart-recovered-agency" option={bar(agencyRows.map((r) => r.label), agencyRows.map((r) => r.totalFen / 100), true)} onPick={(c) => drillAgency(agencyRows[c.dataIndex].key, agencyRows[c.dataIndex].label)} />
            {keys(agencyRows.map((r) => ({ key: r.key, name: r.label })), drillAgency, 'drill-agency')}
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card title="线索来源" size="small">
            <Chart
              label="线索来源饼图"
              testId="chart-lead-source"
              option={{
                tooltip: { trigger: 'item', formatter: '{b}：{c} 件（{d}%）' },
                legend: { bottom: 0, type: 'scroll' },
                series: [{ type: 'pie', radius: ['35%', '65%'], center: ['50%', '45%'], data: view?.sources ?? [], label: { formatter: '{b}\n{c} 件' } }],
              }}
              onPick={(c) => drillSource((c.data as { key: string }).key)}
            />
            {keys(view?.sources ?? [], drillSource, 'drill-source')}
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card title="案件流转（立案 → 结案）" size="small">
            <Chart
              label="案件流转漏斗图"
              testId="chart-case-flow"
              option={{
                tooltip: { trigger: 'item', formatter: '{b}：{c} 件' },
                series: [{ type: 'funnel', sort: 'none', left: '10%', width: '80%', minSize: '20%', label: { formatter: '{b} {c} 件' }, data: FLOW_STEPS.map((s) => ({ name: s, value: view?.flow[s].length ?? 0 })) }],
              }}
              onPick={(c) => drillFlow(c.name as (typeof FLOW_STEPS)[number])}
            />
            {keys(FLOW_STEPS.map((s) => ({ key: s, name: s })), (k) => drillFlow(k as (typeof FLOW_STEPS)[number]), 'drill-flow')}
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card title={`逾期事项（按单位，截至 ${overdueAsOf}）`} size="small">
            <Chart label="逾期事项按单位柱状图" testId="chart-overdue-agency" option={bar(view?.overdueAgencies.map((a) => a.name) ?? [], view?.overdueAgencies.map((a) => a.value) ?? [])} onPick={(c) => view && drillOverdue(view.overdueAgencies[c.dataIndex].key)} />
            {keys(view?.overdueAgencies ?? [], drillOverdue, 'drill-overdue')}
          </Card>
        </Col>
      </Row>
      <Drawer title={drill?.title} open={!!drill} onClose={() => setDrill(undefined)} size="large" data-testid="drill-drawer">
        {drill?.content}
      </Drawer>
    </Space>
  );
}
