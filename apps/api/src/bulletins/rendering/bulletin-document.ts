import { BULLETIN_SECTIONS, formatChineseDate, type BulletinDistribution, type BulletinState } from '@coord/domain';

/** The issuing body printed in the red header when an issue command names none. */
export const DEFAULT_BULLETIN_ISSUER = 'XX县反腐败协调小组';

const CHINESE_NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];

/**
 * What a printed 《案情专报》 shows, built from the bulletin's own stream (never a read model): the issued
 * text is exactly the signed revision. Both renderers (DOCX and HTML) take this and nothing else, so the
 * two downloads cannot disagree — and the informant cannot reach either, because it is not here.
 */
export interface BulletinDocument {
  issuer: string;
  /** null for a draft: it prints 「（草稿）」 and no number */
  issueNo: string | null;
  /** 签发人; null until approved */
  signer: string | null;
  /** 2026年3月18日; the drafting date for a draft */
  date: string;
  title: string;
  /** 一、基本情况 … with the section's paragraphs */
  sections: { heading: string; paragraphs: string[] }[];
  distribution: BulletinDistribution;
  correction: { issueNo: string; reason: string } | null;
  caseNo: string;
  revision: number;
  status: 'draft' | 'approved' | 'issued';
}

export function bulletinDocumentOf(state: Exclude<BulletinState, { status: 'none' }>): BulletinDocument {
  const sections = BULLETIN_SECTIONS.map((s, i) => ({
    heading: `${CHINESE_NUMERALS[i] ?? String(i + 1)}、${s.heading}`,
    paragraphs: (state.content.sections[s.key] ?? '')
      .split(/\r?\n/)
      .map((p) => p.trim())
      .filter((p) => p !== ''),
  }));
  return {
    issuer: state.issue?.issuer ?? DEFAULT_BULLETIN_ISSUER,
    issueNo: state.issue?.issueNo ?? null,
    signer: state.approval?.approver.name ?? null,
    date: formatChineseDate(state.issue?.issuedOn ?? state.draftedOn),
    title: state.content.title,
    sections,
    distribution: state.issue?.distribution ?? { mainTo: [], copyTo: [] },
    correction: state.corrects ? { issueNo: state.corrects.issueNo, reason: state.corrects.reason } : null,
    caseNo: state.caseNo,
    revision: state.revision,
    status: state.status,
  };
}

/** 〔2026〕第3期 案情专报.docx — the file name a download carries. */
export function bulletinFileName(doc: BulletinDocument, ext: 'docx' | 'html'): string {
  const stem = doc.issueNo ? `案情专报${doc.issueNo}` : `案情专报（草稿第${doc.revision}稿）`;
  return `${stem}.${ext}`;
}

/** Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266 / RFC 5987). */
export function contentDisposition(fileName: string, disposition: 'attachment' | 'inline' = 'attachment'): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
