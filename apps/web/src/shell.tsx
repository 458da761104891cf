import { Button, Layout, Menu, Result, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { loadSession, saveSession, setUnauthorizedHandler, type Session } from './api';
import { AppContext, useAgencies, usePath, type AppContextValue } from './app-context';
import { ROLES } from './model';
import { CaseDetailPage, CasesPage } from './pages/cases-pages';
import { DashboardPage } from './pages/dashboard-page';
import { HomePage } from './pages/home-page';
import { LeadDetailPage, LeadsPage, RegisterLeadPage, TransfersPage } from './pages/leads-pages';
import { LoginPage } from './pages/login-page';
import { NotificationsPage, OverduePage } from './pages/overdue-pages';
import { ReportsPage } from './pages/reports-page';
import { SupervisionBoardPage, SupervisionDetailPage } from './pages/supervision-pages';
import { MeetingDetailPage, MeetingsPage } from './pages/meetings-pages';
import { BulletinDetailPage, BulletinsPage } from './pages/bulletins-pages';

interface MenuEntry {
  key: string;
  label: string;
  roles: Session['role'][];
  agencyLabel?: string;
}

const MENU: MenuEntry[] = [
  { key: '/', label: '首页', roles: ['office', 'agency', 'leadership', 'auditor'] },
  { key: '/dashboard', label: '领导驾驶舱', roles: ['office', 'leadership', 'auditor'] },
  { key: '/leads/new', label: '登记线索', roles: ['office', 'agency'] },
  { key: '/leads', label: '线索台账', agencyLabel: '我的线索', roles: ['office', 'agency', 'leadership', 'auditor'] },
  { key: '/transfers', label: '移送在途', agencyLabel: '待办移送', roles: ['office', 'agency', 'leadership', 'auditor'] },
  { key: '/cases', label: '案件台账', agencyLabel: '我的案件', roles: ['office', 'agency', 'leadership', 'auditor'] },
  { key: '/supervision', label: '督办看板', agencyLabel: '我的督办', roles: ['office', 'agency', 'leadership', 'auditor'] },
  { key: '/meetings', label: '联席会议', roles: ['office', 'agency', 'leadership', 'auditor'] },
  { key: '/bulletins', label: '案情专报', roles: ['office', 'leadership', 'auditor'] },
  { key: '/overdue', label: '逾期事项', roles: ['office', 'agency', 'leadership', 'auditor'] },
  { key: '/notifications', label: '催办提醒', roles: ['office', 'agency', 'leadership', 'auditor'] },
  { key: '/reports', label: '报表与导入导出', roles: ['office', 'leadership', 'auditor'] },
];

function route(path: string): { key: string; page: ReactNode } {
  const [pathname, search] = path.split('?');
  const query = new URLSearchParams(search ?? '');
  const seg = pathname.split('/').filter(Boolean);
  if (seg.length === 0) return { key: '/', page: <HomePage /> };
  if (seg[0] === 'dashboard') return { key: '/dashboard', page: <DashboardPage /> };
  if (seg[0] === 'leads' && seg[1] === 'new') return { key: '/leads/new', page: <RegisterLeadPage /> };
  if (seg[0] === 'leads' && seg[1]) return { key: '/leads', page: <LeadDetailPage id={seg[1]} /> };
  if (seg[0] === 'leads') return { key: '/leads', page: <LeadsPage initial={query} /> };
  if (seg[0] === 'transfers') return { key: '/transfers', page: <TransfersPage /> };
  if (seg[0] === 'cases' && seg[1]) return { key: '/cases', page: <CaseDetailPage id={seg[1]} /> };
  if (seg[0] === 'cases') return { key: '/cases', page: <CasesPage initial={query} /> };
  if (seg[0] === 'supervision' && seg[1]) return { key: '/supervision', page: <SupervisionDetailPage id={seg[1]} /> };
  if (seg[0] === 'supervision') return { key: '/supervision', page: <SupervisionBoardPage /> };
  if (seg[0] === 'meetings' && seg[1]) return { key: '/meetings', page: <MeetingDetailPage id={seg[1]} /> };
  if (seg[0] === 'meetings') return { key: '/meetings', page: <MeetingsPage /> };
  if (seg[0] === 'bulletins' && seg[1]) return { key: '/bulletins', page: <BulletinDetailPage id={seg[1]} /> };
  if (seg[0] === 'bulletins') return { key: '/bulletins', page: <BulletinsPage /> };
  if (seg[0] === 'overdue') return { key: '/overdue', page: <OverduePage initial={query} /> };
  if (seg[0] === 'notifications') return { key: '/notifications', page: <NotificationsPage /> };
  if (seg[0] === 'reports') return { key: '/reports', page: <ReportsPage /> };
  return { key: '', page: <Result status="404" title="页面不存在" subTitle="请从左侧菜单选择功能" /> };
}

export function Shell() {
  const [session, setSession] = useState<Session | undefined>(() => loadSession());
  const [path, navigate] = usePath();
  const agencies = useAgencies(!!session);
  const signOut = useCallback(() => {
    saveSession(undefined);
    setSession(undefined);
  }, []);
  useEffect(() => setUnauthorizedHandler(signOut), [signOut]);

  const ctx = useMemo<AppContextValue | null>(
    () =>
      session
        ? {
            session,
            agencies,
            navigate,
            signOut,
            agencyName: (code) => (code ? (agencies.find((a) => a.agency === code)?.name ?? code) : '—'),
          }
        : null,
    [session, agencies, navigate, signOut],
  );

  if (!session || !ctx) {
    return (
      <LoginPage
        onSignedIn={(s) => {
          saveSession(s);
          setSession(s);
        }}
      />
    );
  }

  const { key, page } = route(path);
  const items = MENU.filter((m) => m.roles.includes(session.role)).map((m) => ({
    key: m.key,
    label: (
      <a
        href={m.key}
        onClick={(e) => {
          e.preventDefault();
        }}
      >
        {session.role === 'agency' && m.agencyLabel ? m.agencyLabel : m.label}
      </a>
    ),
  }));

  return (
    <AppContext.Provider value={ctx}>
      <Layout style={{ minHeight: '100vh' }}>
        <Layout.Header style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', background: '#8c1c22', paddingInline: 24 }}>
          <Typography.Title level={4} style={{ color: '#fff', margin: 0, whiteSpace: 'nowrap' }}>
            反腐败协调小组工作平台
          </Typography.Title>
          <Space style={{ color: '#fff' }}>
            <span data-testid="current-user">{session.username}</span>
            <Tag color="gold">{ROLES[session.role]}</Tag>
            {session.agency ? <Tag>{ctx.agencyName(session.agency)}</Tag> : null}
            <Button size="small" onClick={signOut}>
              退出登录
            </Button>
          </Space>
        </Layout.Header>
        <Layout>
          <Layout.Sider width={188} theme="light" breakpoint="lg" collapsedWidth={0}>
            <nav aria-label="主菜单">
              <Menu mode="inline" selectedKeys={[key]} items={items} onClick={(e) => navigate(e.key)} style={{ borderInlineEnd: 0 }} />
            </nav>
          </Layout.Sider>
          <Layout.Content style={{ padding: 20, minWidth: 0 }}>
            <main>{page}</main>
          </Layout.Content>
        </Layout>
      </Layout>
    </AppContext.Provider>
  );
}
