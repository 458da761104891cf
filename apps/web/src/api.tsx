// The console's only door to the system: the public HTTP API under /api, with the bearer token from
// POST /api/auth/login. The token lives in sessionStorage (per tab, gone when the tab closes), never in
// localStorage or a cookie, so closing the browser signs out and no other site's request carries it.

export interface FieldError {
  field: string;
  message: string;
}

/** An RFC 9457 problem the API answered with (or a network failure dressed as one). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: FieldError[] = [],
  ) {
    super(detail);
    this.name = 'ApiError';
  }

  /** 409 on a stale If-Match: someone else changed the record since it was loaded. */
  get isVersionConflict(): boolean {
    return this.status === 409 && this.code === 'version-conflict';
  }
}

export interface Session {
  token: string;
  /** rotating refresh token: access tokens are short-lived (15 min by default), see refreshSession() */
  refreshToken?: string;
  username: string;
  role: 'office' | 'agency' | 'leadership' | 'auditor';
  agency?: string;
}

const SESSION_KEY = 'coord.session';

export function loadSession(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY);
    return raw ? (JSON.parse(raw) as Session) : undefined;
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session | undefined): void {
  if (session) sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(SESSION_KEY);
}

let onUnauthorized: () => void = () => undefined;
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

// Read-your-writes: every command answers with the global position it reached; later list reads ask the
// API to wait until the read models have caught up with it (?minPosition=), so a list shown right after
// a command never misses what was just done. History reads come from the event log and need no wait.
let lastPosition = 0;

type Query = Record<string, string | number | boolean | undefined | null>;

export interface Answer<T> {
  data: T;
  /** the record's version from the ETag header, e.g. 3 for `"3"` */
  etag?: number;
}

function buildUrl(path: string, query?: Query, waitForWrites = false): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  if (waitForWrites && lastPosition > 0 && !params.has('minPosition')) params.set('minPosition', String(lastPosition));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function problemOf(res: Response): Promise<ApiError> {
  let body: Partial<{ code: string; detail: string; title: string; errors: FieldError[] }> = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    // not JSON: keep the status
  }
  return new ApiError(res.status, body.code ?? `http-${res.status}`, body.detail ?? body.title ?? `请求失败（${res.status}）`, body.errors ?? []);
}

// One refresh at a time: concurrent 401s wait for the same rotation (a refresh token is single-use, and a
// second use of a rotated one would end the whole session as a suspected theft).
let refreshing: Promise<boolean> | undefined;

function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    const session = loadSession();
    if (!session?.refreshToken) return false;
    try {
      const res = await fetch('/api/auth/refresh', {
        method: 'POST',
        headers: { accept: 'application/json, application/problem+json', 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: session.refreshToken }),
      });
      if (!res.ok) return false;
      const pair = (await res.json()) as { accessToken: string; refreshToken: string };
      saveSession({ ...session, token: pair.accessToken, refreshToken: pair.refreshToken });
      return true;
    } catch {
      return false;
    }
  })().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

async function send(method: string, url: string, init: { body?: unknown; ifMatch?: number; raw?: BodyInit; contentType?: string }, retried = false): Promise<Response> {
  if (!url.startsWith('/api/')) throw new Error(`not an API path: ${url}`);
  const session = loadSession();
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (session) headers.authorization = `Bearer ${session.token}`;
  if (init.ifMatch !== undefined) headers['if-match'] = `"${init.ifMatch}"`;
  let body: BodyInit | undefined;
  if (init.raw !== undefined) {
    body = init.raw;
    if (init.contentType) headers['content-type'] = init.contentType;
  } else if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] = 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body });
  } catch {
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试');
  }
  if (res.status === 401 && !url.startsWith('/api/auth/')) {
    // an expired access token: rotate once and repeat the request; only then sign the user out
    if (!retried && (await refreshSession())) return send(method, url, init, true);
    onUnauthorized();
  }
  if (!res.ok) throw await problemOf(res);
  return res;
}

function etagOf(res: Response): number | undefined {
  const tag = res.headers.get('etag');
  const m = tag ? /"?(\d+)"?/.exec(tag) : null;
  return m ? Number(m[1]) : undefined;
}

export async function get<T>(path: string, query?: Query, options: { fresh?: boolean } = {}): Promise<Answer<T>> {
  const res = await send('GET', buildUrl(path, query, options.fresh !== false), {});
  return { data: (await res.json()) as T, etag: etagOf(res) };
}

export interface CommandResult {
  id?: string;
  version?: number;
  position?: number;
  [key: string]: unknown;
}

/** A command: JSON body, optional If-Match; remembers the position for the next reads. */
export async function command<T extends CommandResult = CommandResult>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown, ifMatch?: number): Promise<T> {
  const res = await send(method, path, { body: body ?? (method === 'POST' ? {} : undefined), ifMatch });
  const text = await res.text();
  const data = (text ? JSON.parse(text) : {}) as T;
  if (typeof data.position === 'number' && data.position > lastPosition) lastPosition = data.position;
  return data;
}

export async function upload<T>(path: string, query: Query, file: File): Promise<T> {
  const res = await send('POST', buildUrl(path, query), { raw: file, contentType: file.type || 'application/octet-stream' });
  const data = (await res.json()) as T & { position?: number };
  if (typeof data.position === 'number' && data.position > lastPosition) lastPosition = data.position;
  return data;
}

/** Downloads a file (DOCX, XLSX) with the bearer token and hands it to the browser as a download. */
export async function download(path: string, query?: Query, fallbackName = 'download'): Promise<void> {
  const res = await send('GET', buildUrl(path, query), {});
  const blob = await res.blob();
  const disposition = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  const name = star ? decodeURIComponent(star[1]) : plain ? plain[1] : fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Opens a printable HTML document the API renders (e.g. a 《案情专报》) in a new tab. It needs the bearer
 * token, so it is fetched here and shown from a blob: URL (a plain link would arrive unauthenticated).
 */
export async function openHtml(path: string): Promise<void> {
  const res = await send('GET', buildUrl(path), {});
  const blob = new Blob([await res.text()], { type: 'text/html;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  window.open(url, '_blank', 'noopener');
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export interface Page<T> {
  total: number;
  limit: number;
  offset: number;
  items: T[];
}

/**
 * Every row of a paged list (the API caps a page at 500). `after`: where the list takes a keyset (the
 * leads' `before`), the parameters of the page after a row — with offsets the server steps over every
 * earlier row again on each page.
 */
export async function getAll<T>(path: string, query?: Query, after?: (last: T) => Query): Promise<T[]> {
  const rows: T[] = [];
  for (let offset = 0; ; offset += 500) {
    const last = rows[rows.length - 1];
    const { data } = await get<Page<T>>(path, { ...query, limit: 500, ...(after && last !== undefined ? after(last) : { offset }) });
    rows.push(...data.items);
    if (rows.length >= data.total || data.items.length === 0) return rows;
  }
}
