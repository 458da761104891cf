import { eventHash } from './event-hash';
import type { TrustedKeys } from './checkpoint-signing';
import type { Checkpoint, ChainRow, IntegrityLog } from './integrity-log';

export type BreakKind =
  | 'missing-position'
  | 'missing-hash'
  | 'hash-mismatch'
  | 'reordered'
  | 'stream-gap'
  | 'derived-column'
  | 'checkpoint-mismatch'
  | 'bad-signature'
  | 'unknown-key'
  | 'truncated'
  | 'stream-head-mismatch';

export interface BrokenLink {
  kind: BreakKind;
  /** the first position at which the history is no longer what was written */
  position: number;
  streamId?: string;
  streamVersion?: number;
  /** zh-CN, for the operator or auditor reading the report */
  message: string;
}

export interface IntegrityReport {
  intact: boolean;
  /** the highest position verified (everything up to it chains correctly) */
  verifiedUpTo: number;
  eventsChecked: number;
  /** the last checkpoint whose signature and hash were verified on the way, if any */
  lastSignedCheckpoint: { position: number; at: string; keyId: string } | null;
  firstBroken: BrokenLink | null;
  /** one line, zh-CN */
  summary: string;
}

export interface VerifyOptions {
  trustedKeys: TrustedKeys;
  /** rows read per page (memory is bounded by this, not by the size of the log); default 500 */
  pageSize?: number;
}

/**
 * Re-walks the whole log in position order, one page at a time, and stops at the first broken link.
 * Memory stays flat: a page of rows, the previous event's hash and a cursor into the checkpoints; the
 * stream link is checked with the predecessor's stored hash, read by the same query (that predecessor
 * has a lower position, so this walk already verified it).
 */
export async function verifyIntegrity(log: IntegrityLog, options: VerifyOptions): Promise<IntegrityReport> {
  const pageSize = Math.max(1, options.pageSize ?? 500);
  let prevPosition = 0;
  let prevHash: string | null = null;
  let checked = 0;
  let lastSigned: IntegrityReport['lastSignedCheckpoint'] = null;

  // checkpoints are read in pages alongside the events
  let cpPage: Checkpoint[] = [];
  let cpAfter = 0;
  let cpDone = false;
  const nextCheckpoint = async (): Promise<Checkpoint | undefined> => {
    if (cpPage.length === 0 && !cpDone) {
      cpPage = await log.readCheckpoints(cpAfter, pageSize);
      if (cpPage.length === 0) cpDone = true;
      else cpAfter = (cpPage[cpPage.length - 1] as Checkpoint).position;
    }
    return cpPage[0];
  };

  const report = (broken: BrokenLink | null): IntegrityReport => ({
    intact: broken === null,
    verifiedUpTo: prevPosition,
    eventsChecked: checked,
    lastSignedCheckpoint: lastSigned,
    firstBroken: broken,
    summary: broken
      ? `历史记录在位置 ${broken.position} 处断链：${broken.message}`
      : `历史记录完整，已校验至位置 ${prevPosition}；最近一次签名检查点位于位置 ${lastSigned ? lastSigned.position : '（无）'}`,
  });

  /** checkpoints at or below `position` (the walk has reached it): signature first, then the hash */
  const checkCheckpointsUpTo = async (position: number, hashAt: (p: number) => string | null): Promise<BrokenLink | null> => {
    for (let cp = await nextCheckpoint(); cp && cp.position <= position; cp = await nextCheckpoint()) {
      cpPage.shift();
      const sig = options.trustedKeys.check(cp);
      if (sig !== 'ok') {
        return {
          kind: sig,
          position: cp.position,
          message: sig === 'unknown-key' ? `检查点由不受信任的密钥（${cp.keyId}）签署` : '检查点签名无效（检查点记录被改动或伪造）',
        };
      }
      const actual = hashAt(cp.position);
      if (actual !== cp.globalHash) {
        return {
          kind: 'checkpoint-mismatch',
          position: cp.position,
          message: `签名检查点记录的哈希与当前日志不符：该检查点之前（上一个检查点之后）的历史被改写`,
        };
      }
      lastSigned = { position: cp.position, at: cp.at, keyId: cp.keyId };
    }
    return null;
  };

  for (;;) {
    const page = await log.readChain(prevPosition, pageSize);
    if (page.length === 0) break;
    for (const row of page) {
      const broken = checkRow(row, prevPosition, prevHash);
      if (broken) return report(broken);
      // checkpoints strictly below this row were handled when their row passed; one AT this row is
      // checked against this row's (now verified) hash
      const cpBroken = await checkCheckpointsUpTo(row.position, () => row.hash);
      if (cpBroken) return report(cpBroken);
      prevPosition = row.position;
      prevHash = row.hash;
      checked++;
    }
  }

  // checkpoints beyond the end of the log: events were cut off the end
  const beyond = await nextCheckpoint();
  if (beyond) {
    const sig = options.trustedKeys.check(beyond);
    if (sig !== 'ok') return report({ kind: sig, position: beyond.position, message: '检查点签名无效（检查点记录被改动或伪造）' });
    return report({
      kind: 'truncated',
      position: prevPosition + 1,
      message: `日志止于位置 ${prevPosition}，但签名检查点覆盖到位置 ${beyond.position}：末尾的事件被删除`,
    });
  }
  const head = await log.streamHeadMismatch();
  if (head) {
    return report({
      kind: 'stream-head-mismatch',
      position: head.position ?? prevPosition + 1,
      streamId: head.streamId,
      message: `流的版本记录（${head.recordedVersion ?? '无'}）与其事件（${head.eventsVersion ?? '无'}）不符：流末尾的事件被删除或插入`,
    });
  }
  return report(null);
}

function checkRow(row: ChainRow, prevPosition: number, prevHash: string | null): BrokenLink | null {
  const at = { position: row.position, streamId: row.streamId, streamVersion: row.streamVersion };
  if (row.position !== prevPosition + 1) {
    // positions are dense in both adapters (allocated under the writer lock, never consumed by a rollback)
    return { kind: 'missing-position', position: prevPosition + 1, message: `位置 ${prevPosition + 1} 的事件缺失（被删除或移动）` };
  }
  if (row.hash === null) return { kind: 'missing-hash', ...at, message: '事件没有哈希（未经存储写入的行）' };
  let prevStreamHash: string | null = null;
  if (row.streamVersion > 1) {
    const p = row.prevInStream;
    if (!p) return { kind: 'stream-gap', ...at, message: `流 ${row.streamId} 缺少版本 ${row.streamVersion - 1}` };
    if (p.position >= row.position) {
      return { kind: 'reordered', ...at, message: `流 ${row.streamId} 的版本 ${row.streamVersion - 1} 位于更后的位置 ${p.position}：事件顺序被调换` };
    }
    prevStreamHash = p.hash;
  } else if (row.streamVersion !== 1) {
    return { kind: 'stream-gap', ...at, message: `流版本 ${row.streamVersion} 无效` };
  }
  const expected = eventHash(row, prevHash, prevStreamHash);
  if (expected !== row.hash) {
    return { kind: 'hash-mismatch', ...at, message: '哈希不符：该事件的内容、位置或版本被改动，或它与前一事件的链接被改写' };
  }
  const occurredAt = (row.metadata as { occurredAt?: unknown } | null)?.occurredAt;
  if (typeof occurredAt !== 'string' || Date.parse(occurredAt) !== Date.parse(row.occurredAtColumn)) {
    return { kind: 'derived-column', ...at, message: 'occurred_at 列与事件元数据中的发生时间不一致' };
  }
  return null;
}
