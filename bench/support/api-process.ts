import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { progress } from './bench-output';

/**
 * The real api as a child process, for benchmarks that drive it over HTTP. It must not share the load
 * generator's event loop (2 cores: a server and its client in one process would measure each other), so
 * it runs as `node -r bench/support/register.js apps/api/src/main.ts` — the same TypeScript the
 * services run, compiled by swc at start (no `npm run build`, which would race other benchmarks' builds
 * of dist/) — or, with `mode: 'dist'`, the built `dist/apps/api/apps/api/src/main.js` that `npm start`
 * runs. Either way it is the embedded default unless `env` says otherwise: SQLite store and read models
 * in a fresh data folder, the projector in process, durable settings as shipped.
 *
 * It reports its own CPU time from /proc/<pid>/stat (utime + stime, all threads), so a benchmark can
 * tell whether the server or the load generator was the one that saturated.
 */
export interface ApiProcess {
  pid: number;
  baseUrl: string;
  dataDir: string;
  logFile: string;
  /** user + system CPU seconds the server has used so far */
  cpuSeconds(): number;
  cpuSplit(): { user: number; system: number };
  /** resident set size now, MiB */
  rssMiB(): number;
  /** toggles the in-process CPU profiler (bench/support/cpu-profile-on-signal.js); resolves with the written .cpuprofile on stop */
  startProfile(): Promise<void>;
  stopProfile(): Promise<string>;
  /** SIGTERM (Nest's shutdown hooks close the stores), SIGKILL after 15 s; removes the data folder unless keepData */
  stop(opts?: { keepData?: boolean }): Promise<void>;
}

export interface StartApiOptions {
  /** 'ts' (default): swc loader, no build; 'dist': the output of `npm run build` */
  mode?: 'ts' | 'dist';
  env?: Record<string, string>;
  /** load the profiler preload so startProfile/stopProfile work; profiles land here */
  profileDir?: string;
  /** extra node flags for the server (e.g. --max-old-space-size) */
  nodeFlags?: string[];
  startTimeoutMs?: number;
}

const ROOT = resolve(__dirname, '..', '..');
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => ok(port));
    });
  });
}

/** utime + stime of a process, in seconds (fields 14 and 15 of /proc/<pid>/stat, after the command name). */
export function processCpuSeconds(pid: number): number {
  const { user, system } = processCpuSplit(pid);
  return user + system;
}

/** utime and stime apart: a server whose time goes to the kernel (fsync, writes, sockets) shows it in `system`. */
export function processCpuSplit(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / CLK_TCK, system: Number(fields[12]) / CLK_TCK };
}

/** Busy and total jiffies of the whole machine (first line of /proc/stat): what everyone else used too. */
export function machineCpuSeconds(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] as string;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / CLK_TCK, total: total / CLK_TCK };
}

export async function startApiProcess(opts: StartApiOptions = {}): Promise<ApiProcess> {
  const mode = opts.mode ?? 'ts';
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'coord-bench-api-'));
  const logFile = join(dataDir, 'api.log');
  const entry = mode === 'dist' ? [join(ROOT, 'dist/apps/api/apps/api/src/main.js')] : ['-r', join(ROOT, 'bench/support/register.js'), join(ROOT, 'apps/api/src/main.ts')];
  if (mode === 'dist' && !existsSync(entry[0] as string)) throw new Error('dist/ has no api build: run `npm run build` first, or use --server ts');
  const preload = opts.profileDir ? ['-r', join(ROOT, 'bench/support/cpu-profile-on-signal.js')] : [];
  // the api's own log (one access line per request at the shipped LOG_LEVEL=info) goes to a file, as an
  // operator would keep it; a pipe read by this process would charge the server's logging to the client
  const logFd = openSync(logFile, 'a');
  const child: ChildProcess = spawn(process.execPath, [...(opts.nodeFlags ?? []), ...preload, ...entry], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      COORD_DATA_DIR: dataDir,
      ...(opts.profileDir ? { BENCH_CPU_PROFILE_DIR: opts.profileDir } : {}),
      ...opts.env,
    },
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not spawn the api');
  let exited: number | null | undefined;
  const exitedPromise = new Promise<void>((ok) => child.once('exit', (code, signal) => ((exited = code ?? (signal ? -1 : 0)), ok())));
  const baseUrl = `http://127.0.0.1:${port}`;

  const tail = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n') : '');
  const deadline = Date.now() + (opts.startTimeoutMs ?? 90_000);
  for (;;) {
    if (exited !== undefined) throw new Error(`the api exited (${exited}) during start:\n${tail()}`);
    try {
      const res = await fetch(`${baseUrl}/health/live`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the api did not answer /health/live within the start timeout:\n${tail()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  progress(`api started (pid ${pid}, ${mode}) on ${baseUrl}, data in ${dataDir}`);

  let profiles = 0;
  const api: ApiProcess = {
    pid,
    baseUrl,
    dataDir,
    logFile,
    cpuSeconds: () => processCpuSeconds(pid),
    cpuSplit: () => processCpuSplit(pid),
    rssMiB: () => {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return m ? Math.round(Number(m[1]) / 1024) : NaN;
    },
    async startProfile() {
      if (!opts.profileDir) throw new Error('startApiProcess({ profileDir }) is needed to profile');
      child.kill('SIGWINCH');
      await new Promise((r) => setTimeout(r, 200));
    },
    async stopProfile() {
      const dir = opts.profileDir as string;
      profiles += 1;
      const want = profiles;
      child.kill('SIGWINCH');
      // the preload writes server-<n>.cpuprofile once the profiler has stopped
      for (let i = 0; i < 300; i++) {
        const file = readdirSync(dir).find((f) => f === `server-${want}.cpuprofile`);
        if (file) return join(dir, file);
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('the server wrote no CPU profile');
    },
    async stop({ keepData = false } = {}) {
      if (exited === undefined) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exitedPromise;
        clearTimeout(timer);
      }
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return api;
}
