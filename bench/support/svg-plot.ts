/*
 * A small dependency-free SVG line plot writer for the benchmark results (bench/results/*.svg): series of
 * (x, y) points with labels, linear or logarithmic axes, "nice" ticks, a title and a legend, and several
 * panels side by side in one file (metrics of different units — µs per event, ms per query — each get their
 * own y-axis instead of being squeezed onto one).
 *
 * Why hand-written: a plotting library (and a headless browser to run it) for four polylines would be the
 * heaviest dependency of the repository; the output is plain SVG that any browser and GitHub render.
 */

export interface PlotPoint {
  x: number;
  y: number;
}

export interface PlotSeries {
  label: string;
  points: readonly PlotPoint[];
  /** CSS colour; default from a colour-blind-safe palette, by series index */
  color?: string;
  /** dashed line (e.g. a reference or a target) */
  dashed?: boolean;
}

export interface PlotPanel {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly PlotSeries[];
  logX?: boolean;
  logY?: boolean;
  /** linear y only: start the axis at 0 (default true — a flat curve must not look steep by zooming in) */
  yFromZero?: boolean;
  /** axis tick labels; default: compact numbers (1k, 10M, 0.5) */
  xFormat?: (v: number) => string;
  yFormat?: (v: number) => string;
  /** horizontal reference lines (e.g. the p99 target) */
  hLines?: readonly { y: number; label: string; color?: string }[];
}

export interface PlotDocument {
  title: string;
  /** one line under the title (sizes, machine, store) */
  subtitle?: string;
  panels: readonly PlotPanel[];
  /** panels per row (default: all in one row, up to 3) */
  columns?: number;
  panelWidth?: number;
  panelHeight?: number;
}

// Okabe–Ito palette: distinguishable with the common colour-vision deficiencies
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (n: number): string => (Math.round(n * 100) / 100).toString();

/** 1234 → "1.2k", 10_000_000 → "10M", 0.25 → "0.25". */
export function compactNumber(v: number): string {
  const a = Math.abs(v);
  const trim = (n: number) => String(Number(n.toPrecision(3)));
  if (a >= 1e9) return `${trim(v / 1e9)}G`;
  if (a >= 1e6) return `${trim(v / 1e6)}M`;
  if (a >= 1e4) return `${trim(v / 1e3)}k`;
  if (a === 0) return '0';
  return trim(v);
}

/** Ticks of a linear axis: about `count` steps of 1, 2 or 5 × 10^k covering [min, max]. */
export function linearTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** Ticks of a log axis: the powers of ten in [min, max]; with 1–2 decades also 2× and 5×. */
export function logTicks(min: number, max: number): number[] {
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const dense = hi - lo <= 2;
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e++) {
    for (const m of dense ? [1, 2, 5] : [1]) {
      const t = Number((m * 10 ** e).toPrecision(12));
      if (t >= min * (1 - 1e-9) && t <= max * (1 + 1e-9)) ticks.push(t);
    }
  }
  return ticks;
}

interface Scale {
  map(v: number): number;
  ticks: number[];
}

function scale(values: number[], log: boolean, fromZero: boolean, pixelsFrom: number, pixelsTo: number): Scale {
  const finite = values.filter((v) => Number.isFinite(v) && (!log || v > 0));
  let min = finite.length ? Math.min(...finite) : log ? 1 : 0;
  let max = finite.length ? Math.max(...finite) : log ? 10 : 1;
  if (log) {
    // pad to whole decades' neighbourhood so the extreme points do not sit on the frame
    min = 10 ** (Math.floor(Math.log10(min) * 4) / 4);
    max = 10 ** (Math.ceil(Math.log10(max) * 4) / 4);
    if (max <= min) max = min * 10;
    const l0 = Math.log10(min);
    const l1 = Math.log10(max);
    return { ticks: logTicks(min, max), map: (v) => pixelsFrom + ((Math.log10(v) - l0) / (l1 - l0)) * (pixelsTo - pixelsFrom) };
  }
  if (fromZero) min = Math.min(0, min);
  if (max <= min) max = min + 1;
  const ticks = linearTicks(min, max);
  max = Math.max(max, ticks[ticks.length - 1] ?? max);
  min = Math.min(min, ticks[0] ?? min);
  return { ticks, map: (v) => pixelsFrom + ((v - min) / (max - min)) * (pixelsTo - pixelsFrom) };
}

function panelSvg(p: PlotPanel, ox: number, oy: number, width: number, height: number): string {
  const m = { left: 62, right: 16, top: 30, bottom: 58 };
  const legendRows = p.series.length + (p.hLines?.length ?? 0);
  const legendHeight = legendRows * 16 + 8;
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom - legendHeight;
  const x0 = ox + m.left;
  const y0 = oy + m.top;
  const xs = p.series.flatMap((s) => s.points.map((pt) => pt.x));
  const ys = [...p.series.flatMap((s) => s.points.map((pt) => pt.y)), ...(p.hLines ?? []).map((h) => h.y)];
  // points inset from the frame so the first and last sizes are not drawn on the axis lines
  const sx = scale(xs, p.logX ?? false, false, x0 + 12, x0 + plotW - 12);
  const sy = scale(ys, p.logY ?? false, p.yFromZero ?? true, y0 + plotH, y0);
  const xf = p.xFormat ?? compactNumber;
  const yf = p.yFormat ?? compactNumber;
  const out: string[] = [];
  out.push(`<text x="${fmt(ox + width / 2)}" y="${fmt(oy + 18)}" text-anchor="middle" font-size="13" font-weight="bold">${esc(p.title)}</text>`);
  out.push(`<rect x="${fmt(x0)}" y="${fmt(y0)}" width="${fmt(plotW)}" height="${fmt(plotH)}" fill="none" stroke="#888"/>`);
  for (const t of sx.ticks) {
    const x = sx.map(t);
    out.push(`<line x1="${fmt(x)}" y1="${fmt(y0)}" x2="${fmt(x)}" y2="${fmt(y0 + plotH)}" stroke="#e4e4e4"/>`);
    out.push(`<text x="${fmt(x)}" y="${fmt(y0 + plotH + 14)}" text-anchor="middle" font-size="10">${esc(xf(t))}</text>`);
  }
  for (const t of sy.ticks) {
    const y = sy.map(t);
    out.push(`<line x1="${fmt(x0)}" y1="${fmt(y)}" x2="${fmt(x0 + plotW)}" y2="${fmt(y)}" stroke="#e4e4e4"/>`);
    out.push(`<text x="${fmt(x0 - 5)}" y="${fmt(y + 3)}" text-anchor="end" font-size="10">${esc(yf(t))}</text>`);
  }
  out.push(`<text x="${fmt(x0 + plotW / 2)}" y="${fmt(y0 + plotH + 32)}" text-anchor="middle" font-size="11">${esc(p.xLabel)}</text>`);
  out.push(
    `<text x="${fmt(ox + 14)}" y="${fmt(y0 + plotH / 2)}" text-anchor="middle" font-size="11" transform="rotate(-90 ${fmt(ox + 14)} ${fmt(y0 + plotH / 2)})">${esc(p.yLabel)}</text>`,
  );
  const legendY = y0 + plotH + m.bottom - 6;
  let row = 0;
  for (const [i, h] of (p.hLines ?? []).entries()) {
    const color = h.color ?? '#999';
    const y = sy.map(h.y);
    out.push(`<line x1="${fmt(x0)}" y1="${fmt(y)}" x2="${fmt(x0 + plotW)}" y2="${fmt(y)}" stroke="${color}" stroke-dasharray="2 3"/>`);
    const ly = legendY + (p.series.length + i) * 16;
    out.push(`<line x1="${fmt(x0)}" y1="${fmt(ly - 4)}" x2="${fmt(x0 + 22)}" y2="${fmt(ly - 4)}" stroke="${color}" stroke-dasharray="2 3"/>`);
    out.push(`<text x="${fmt(x0 + 28)}" y="${fmt(ly)}" font-size="11">${esc(h.label)}</text>`);
  }
  for (const [i, s] of p.series.entries()) {
    const color = s.color ?? PALETTE[i % PALETTE.length];
    const pts = s.points.filter((pt) => Number.isFinite(pt.x) && Number.isFinite(pt.y) && (!p.logX || pt.x > 0) && (!p.logY || pt.y > 0));
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    if (pts.length > 1) {
      out.push(`<polyline fill="none" stroke="${color}" stroke-width="2"${dash} points="${pts.map((pt) => `${fmt(sx.map(pt.x))},${fmt(sy.map(pt.y))}`).join(' ')}"/>`);
    }
    for (const pt of pts) {
      out.push(`<circle cx="${fmt(sx.map(pt.x))}" cy="${fmt(sy.map(pt.y))}" r="3.5" fill="${color}"><title>${esc(`${s.label}: ${xf(pt.x)} → ${yf(pt.y)}`)}</title></circle>`);
    }
    const ly = legendY + row * 16;
    row++;
    out.push(`<line x1="${fmt(x0)}" y1="${fmt(ly - 4)}" x2="${fmt(x0 + 22)}" y2="${fmt(ly - 4)}" stroke="${color}" stroke-width="2"${dash}/>`);
    out.push(`<text x="${fmt(x0 + 28)}" y="${fmt(ly)}" font-size="11">${esc(s.label)}</text>`);
  }
  return out.join('\n');
}

/** The whole document as an SVG string (write it with fs.writeFileSync). */
export function plotSvg(doc: PlotDocument): string {
  const columns = Math.max(1, doc.columns ?? Math.min(3, doc.panels.length));
  const rows = Math.ceil(doc.panels.length / columns);
  const pw = doc.panelWidth ?? 420;
  const maxLegend = Math.max(0, ...doc.panels.map((p) => p.series.length + (p.hLines?.length ?? 0)));
  const ph = doc.panelHeight ?? 300 + maxLegend * 16;
  const head = doc.subtitle ? 52 : 34;
  const width = columns * pw;
  const height = head + rows * ph;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, 'Noto Sans CJK SC', sans-serif">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${fmt(width / 2)}" y="22" text-anchor="middle" font-size="16" font-weight="bold">${esc(doc.title)}</text>`,
  ];
  if (doc.subtitle) parts.push(`<text x="${fmt(width / 2)}" y="40" text-anchor="middle" font-size="11" fill="#555">${esc(doc.subtitle)}</text>`);
  doc.panels.forEach((p, i) => parts.push(panelSvg(p, (i % columns) * pw, head + Math.floor(i / columns) * ph, pw, ph)));
  parts.push('</svg>\n');
  return parts.join('\n');
}
