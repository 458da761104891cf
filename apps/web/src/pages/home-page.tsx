import { Card, Col, List, Row, Statistic, Typography } from 'antd';
import { get, getAll, type Page } from '../api';
import { Link, useApp } from '../app-context';
import { LoadError, useLoad } from '../components/common';
import { ROLES, isOverdue, leadsAfter, shanghaiToday, yuan, type CaseRow, type LeadRow, type OverdueList, type RecoveredLosses, type SupervisionRow } from '../model';

/** The first page after sign-in: what this role has to do today, with links into the workspaces. */
export function HomePage() {
  const { session, agencyName } = useApp();
  const today = shanghaiToday();
  const agency = session.role === 'agency';
  const { data, error, reload } = useLoad(async () => {
    const [leads, cases, items, overdue, recovered, notifications] = await Promise.all([
      getAll<LeadRow>('/api/leads', {}, leadsAfter),
      getAll<CaseRow>('/api/cases'),
      getAll<SupervisionRow>('/api/supervision-items'),
      // only the count: one item is enough, the total comes with every page
      get<OverdueList>('/api/follow-ups/overdue', { asOf: today, limit: 1 }),
      agency ? Promise.resolve(undefined) : get<RecoveredLosses>('/api/reports/recovered-losses', { groupBy: 'year' }),
      get<Page<unknown>>('/api/notifications', { limit: 1 }),
    ]);
    return { leads, cases, items, overdue: overdue.data.total, recovered: recovered?.data, notifications: notifications.data.total };
  }, [today]);
  const incoming = (data?.leads ?? []).filter((l) => l.pendingTransferId && (agency ? l.pendingToAgency === session.agency : true));
  const openItems = (data?.items ?? []).filter((i) => i.status !== 'closed');
  const dueSoon = openItems.filter((i) => i.dueOn <= today || isOverdue(i, today)).length;
  const cards = [
    { title: agency ? '待签收 / 待接收的移送' : '移送在途', value: incoming.length, to: '/transfers' },
    { title: agency ? '我的线索' : '线索总数', value: data?.leads.length ?? 0, to: '/leads' },
    { title: agency ? '我的在办案件' : '在办案件', value: (data?.cases ?? []).filter((c) => c.status !== 'closed').length, to: '/cases' },
    { title: '未销号督办事项', value: openItems.length, to: '/supervision' },
    { title: '今日到期或已逾期督办', value: dueSoon, to: '/supervision', danger: dueSoon > 0 },
    { title: '逾期未办事项', value: data?.overdue ?? 0, to: '/overdue', danger: (data?.overdue ?? 0) > 0 },
    ...(data?.recovered ? [{ title: '累计挽回经济损失', value: yuan(data.recovered.totalFen), to: '/dashboard' }] : []),
    { title: '催办提醒', value: data?.notifications ?? 0, to: '/notifications' },
  ];
  return (
    <div>
      <Typography.Title level={4}>
        {session.username}，您好（{ROLES[session.role]}
        {session.agency ? ` · ${agencyName(session.agency)}` : ''}）
      </Typography.Title>
      <LoadError error={error} onRetry={reload} />
      <Row gutter={[16, 16]}>
        {cards.map((c) => (
          <Col key={c.title} xs={24} sm={12} xl={6}>
            <Card size="small" loading={!data && !error}>
              <Statistic title={<Link to={c.to}>{c.title}</Link>} value={c.value} valueStyle={c.danger ? { color: '#cf1322' } : undefined} />
            </Card>
          </Col>
        ))}
      </Row>
      {incoming.length > 0 ? (
        <Card title={agency ? '移送给本单位、待办理的线索' : '移送在途'} size="small" style={{ marginTop: 16 }}>
          <List
            size="small"
            dataSource={incoming.slice(0, 8)}
            renderItem={(l) => (
              <List.Item>
                <Link to={`/leads/${l.leadId}`}>{l.ledgerNo}</Link> {l.subjectName}（{l.subjectUnit}
                {l.subjectPost}）· {agencyName(l.pendingFromAgency)} → {agencyName(l.pendingToAgency)} · {l.pendingAcknowledged ? '已签收待接收' : '待签收'}
              </List.Item>
            )}
          />
        </Card>
      ) : null}
    </div>
  );
}
