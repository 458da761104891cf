import { Alert, App as AntApp, Button, type FormInstance } from 'antd';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../api';

/** Loads data for a page; `reload` runs it again. Errors are kept for the page to show. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | undefined; loading: boolean; error: ApiError | undefined; reload: () => void } {
  const [data, setData] = useState<T>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError>();
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let live = true;
    setLoading(true);
    loadRef.current().then(
      (d) => {
        if (!live) return;
        setData(d);
        setError(undefined);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(e instanceof ApiError ? e : new ApiError(0, 'client', e instanceof Error ? e.message : String(e)));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, loading, error, reload };
}

export function LoadError({ error, onRetry }: { error: ApiError | undefined; onRetry?: () => void }) {
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={error.status === 404 ? '记录不存在或无权查看' : '加载失败'}
      description={error.detail}
      action={onRetry ? <Button onClick={onRetry}>重试</Button> : undefined}
      style={{ marginBottom: 16 }}
    />
  );
}

/** "a.b[0].c" (the API's field path) → ['a', 'b', 0, 'c'] (an Ant Design form name path). */
export function namePath(field: string): (string | number)[] {
  return field
    .split(/\.|\[|\]/)
    .filter((p) => p !== '')
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/**
 * Runs a command and shows what the API said the way a person needs it: field errors on the form's
 * fields (the API's own Chinese messages), a version conflict as "记录已被他人修改" with a reload action
 * (never retried silently with the newer version), anything else as a message.
 */
export function useCommandRunner(reload: () => void): {
  run: <T>(action: () => Promise<T>, options?: { form?: FormInstance; success?: string; fieldMap?: Record<string, string> }) => Promise<T | undefined>;
  conflict: ReactNode;
  clearConflict: () => void;
} {
  const { message } = AntApp.useApp();
  const [conflict, setConflict] = useState<ApiError>();
  const run = useCallback(
    async <T,>(action: () => Promise<T>, options: { form?: FormInstance; success?: string; fieldMap?: Record<string, string> } = {}): Promise<T | undefined> => {
      try {
        const result = await action();
        if (options.success) void message.success(options.success);
        return result;
      } catch (e) {
        if (!(e instanceof ApiError)) {
          void message.error(e instanceof Error ? e.message : String(e));
          return undefined;
        }
        if (e.isVersionConflict) {
          setConflict(e);
          return undefined;
        }
        if (options.form && e.errors.length) {
          const known = new Set<string>();
          const fields = e.errors.map((fe) => {
            const name = options.fieldMap?.[fe.field] ?? fe.field;
            known.add(name);
            return { name: namePath(name), errors: [fe.message] };
          });
          options.form.setFields(fields);
        }
        void message.error(e.detail);
        return undefined;
      }
    },
    [message],
  );
  const conflictNode = conflict ? (
    <Alert
      type="warning"
      showIcon
      role="alert"
      data-testid="version-conflict"
      title="记录已被他人修改"
      description={`${conflict.detail}。您看到的是旧版本，本次操作未保存；请重新加载后再操作。`}
      action={
        <Button
          type="primary"
          onClick={() => {
            setConflict(undefined);
            reload();
          }}
        >
          重新加载
        </Button>
      }
      style={{ marginBottom: 16 }}
    />
  ) : null;
  return { run, conflict: conflictNode, clearConflict: () => setConflict(undefined) };
}
