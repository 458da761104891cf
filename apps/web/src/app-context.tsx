import { createContext, useCallback, useContext, useEffect, useState, type MouseEvent, type ReactNode } from 'react';
import { get, type Session } from './api';
import type { Agency } from './model';

// A tiny history router: the app has a dozen pages and no nested layouts, so a dependency for routing
// buys nothing. Links are real <a href> elements (keyboard and middle-click work); the api serves
// index.html for any non-API path, so a reload or a bookmarked address lands on the same page.

export function usePath(): [string, (to: string) => void] {
  const [path, setPath] = useState(() => window.location.pathname + window.location.search);
  useEffect(() => {
    const onPop = () => setPath(window.location.pathname + window.location.search);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((to: string) => {
    if (to !== window.location.pathname + window.location.search) window.history.pushState(null, '', to);
    setPath(to);
    window.scrollTo(0, 0);
  }, []);
  return [path, navigate];
}

export interface AppContextValue {
  session: Session;
  agencies: Agency[];
  agencyName: (code: string | null | undefined) => string;
  navigate: (to: string) => void;
  signOut: () => void;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const ctx = useContext(AppContext);
  if (!ctx) throw new Error('AppContext missing');
  return ctx;
}

export function Link({ to, children, testId }: { to: string; children: ReactNode; testId?: string }) {
  const { navigate } = useApp();
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} data-testid={testId}>
      {children}
    </a>
  );
}

export function useAgencies(enabled: boolean): Agency[] {
  const [agencies, setAgencies] = useState<Agency[]>([]);
  useEffect(() => {
    if (!enabled) return;
    get<{ items: Agency[] }>('/api/agencies').then(
      (r) => setAgencies(r.data.items),
      () => setAgencies([]),
    );
  }, [enabled]);
  return agencies;
}
