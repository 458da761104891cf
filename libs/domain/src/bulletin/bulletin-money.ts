/**
 * Money in a bulletin: integer fen in, exact text out. Integer arithmetic only (no float division), so
 * 128,000,050 fen prints as 1,280,000.50元 and 128.00005万元 — both exact, never rounded.
 */
const group = (digits: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

function parts(fen: number): { sign: string; abs: bigint } {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`amount must be an integer number of fen: ${fen}`);
  return { sign: fen < 0 ? '-' : '', abs: BigInt(Math.abs(fen)) };
}

/** 1,280,000.50元 */
export function formatYuan(fen: number): string {
  const { sign, abs } = parts(fen);
  const yuan = abs / 100n;
  const cents = abs % 100n;
  return `${sign}${group(yuan.toString())}.${cents.toString().padStart(2, '0')}元`;
}

/** 128.00005万元 (1 fen = 0.000001 万元: six decimals are always exact; trailing zeros dropped). */
export function formatWanYuan(fen: number): string {
  const { sign, abs } = parts(fen);
  const wan = abs / 1_000_000n;
  const frac = (abs % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return `${sign}${group(wan.toString())}${frac ? `.${frac}` : ''}万元`;
}

/** 1,280,000.50元（128.00005万元） */
export const formatAmount = (fen: number): string => `${formatYuan(fen)}（${formatWanYuan(fen)}）`;

/** 2026年3月16日 (a 'YYYY-MM-DD' business date as a document prints it) */
export function formatChineseDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}
