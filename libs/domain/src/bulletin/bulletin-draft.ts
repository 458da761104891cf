import type { BulletinContent, BulletinSectionKey } from './bulletin.events';
import {
  DISPOSITION_METHOD_LABELS,
  LEAD_SOURCE_LABELS,
  PROGRESS_STAGE_LABELS,
  RECOVERY_CATEGORY_LABELS,
  SANCTION_KIND_LABELS,
  SANCTION_LEVEL_LABELS,
  label,
} from './bulletin-labels';
import { formatAmount, formatChineseDate } from './bulletin-money';

/**
 * The case facts a bulletin is assembled from — the shape of the `case_bulletin_sources` read-model row
 * (libs/read-models CaseBulletinSourceEntity satisfies it structurally). There is no informant here, and
 * the assembler below reads named fields only, so even an object that carried one could not print it.
 */
export interface BulletinCaseSource {
  caseId: string;
  caseNo: string;
  title: string;
  leadAgency: string;
  coAgencies: string[];
  major: boolean;
  difficult: boolean;
  status: 'open' | 'closed';
  filedOn: string;
  closedOn: string | null;
  closingSummary: string | null;
  subjects: { name: string; post: string; unit: string; rank: string | null }[];
  leads: {
    ledgerNo: string;
    source: string;
    allegation: string;
    subject: { name: string; post: string; unit: string; rank: string | null };
    receivedOn: string;
    disposition: { method: string; rationale: string; decidedOn: string } | null;
  }[];
  progress: { stage: string; summary: string; agency: string; reportedOn: string }[];
  sanctions: { personName: string; kind: string; level: string | null; measure: string | null; decidedOn: string; agency: string }[];
  judicialTransfer: { toAgency: string; summary: string; transferredOn: string } | null;
  courtResult: { result: string; decidedOn: string } | null;
  recoveredFen: number;
  recoveredByCategory: Record<string, number>;
}

export interface DraftWording {
  /** the agency's name (县公安局) for a code; the directory is data, so the caller supplies it */
  agencyName: (code: string) => string;
}

/** Stages whose reports are the facts established (初核, 审查调查, 审理); 移送司法 reports are measures. */
const FACT_STAGES = new Set(['verification', 'investigation', 'review']);
const NONE = '暂无。';

const lines = (items: string[]): string => (items.length ? items.join('\n') : NONE);
const withStop = (text: string): string => (/[。！？；.!?;]$/.test(text.trim()) ? text.trim() : `${text.trim()}。`);

/**
 * A first draft of every section from the case history. The office then edits it (next steps in
 * particular is a proposal to be rewritten); what the leader signs is the edited text, not this.
 */
export function draftBulletinContent(source: BulletinCaseSource, wording: DraftWording): BulletinContent {
  const name = wording.agencyName;
  const flags = [source.major ? '重大' : '', source.difficult ? '疑难' : ''].filter(Boolean).join('、');

  const subject = lines(
    source.subjects.map((s) => `${s.name}，${s.unit}${s.post}${s.rank ? `（${s.rank}）` : ''}。`),
  );

  const leadSource = lines(
    source.leads.map((l) => `${formatChineseDate(l.receivedOn)}受理，来源为${label(LEAD_SOURCE_LABELS, l.source)}（线索编号${l.ledgerNo}）。`),
  );

  const allegations = lines(source.leads.map((l) => `反映${l.subject.name}${withStop(l.allegation)}`));

  const disposition = lines([
    ...source.leads
      .filter((l) => l.disposition !== null)
      .map((l) => {
        const d = l.disposition as { method: string; rationale: string; decidedOn: string };
        return `线索${l.ledgerNo}于${formatChineseDate(d.decidedOn)}经研究决定采取“${label(DISPOSITION_METHOD_LABELS, d.method)}”方式处置，理由：${withStop(d.rationale)}`;
      }),
    `${formatChineseDate(source.filedOn)}经批准立案（案件编号${source.caseNo}），由${name(source.leadAgency)}主办${
      source.coAgencies.length ? `，${source.coAgencies.map(name).join('、')}协办` : ''
    }${flags ? `，列为${flags}案件` : ''}。`,
  ]);

  const facts = lines(
    source.progress
      .filter((p) => FACT_STAGES.has(p.stage))
      .map((p) => `${formatChineseDate(p.reportedOn)}，${name(p.agency)}报告（${label(PROGRESS_STAGE_LABELS, p.stage)}阶段）：${withStop(p.summary)}`),
  );

  const measures = lines([
    ...source.progress
      .filter((p) => !FACT_STAGES.has(p.stage))
      .map((p) => `${formatChineseDate(p.reportedOn)}，${name(p.agency)}报告（${label(PROGRESS_STAGE_LABELS, p.stage)}阶段）：${withStop(p.summary)}`),
    ...(source.judicialTransfer
      ? [`${formatChineseDate(source.judicialTransfer.transferredOn)}移送${name(source.judicialTransfer.toAgency)}：${withStop(source.judicialTransfer.summary)}`]
      : []),
    ...(source.courtResult ? [`${formatChineseDate(source.courtResult.decidedOn)}法院判决：${withStop(source.courtResult.result)}`] : []),
  ]);

  const sanctions = lines(
    source.sanctions.map((s) => {
      const level = s.level ? `（${SANCTION_LEVEL_LABELS[s.kind]?.[s.level] ?? s.level}）` : '';
      const measure = s.measure ? `，${withStop(s.measure).replace(/。$/, '')}` : '';
      return `${formatChineseDate(s.decidedOn)}，${name(s.agency)}给予${s.personName}${label(SANCTION_KIND_LABELS, s.kind)}${level}${measure}。`;
    }),
  );

  const categories = Object.entries(source.recoveredByCategory).filter(([, fen]) => fen !== 0);
  const recovered =
    source.recoveredFen === 0 && categories.length === 0
      ? '截至目前，尚未挽回经济损失。'
      : `截至目前，共挽回经济损失${formatAmount(source.recoveredFen)}${
          categories.length ? `，其中${categories.map(([c, fen]) => `${label(RECOVERY_CATEGORY_LABELS, c)}${formatAmount(fen)}`).join('，')}` : ''
        }。`;

  const nextSteps =
    source.status === 'closed'
      ? `本案已于${formatChineseDate(source.closedOn ?? source.filedOn)}结案${source.closingSummary ? `（${source.closingSummary.replace(/[。.]$/, '')}）` : ''}。下一步将做好案件剖析和以案促改工作。`
      : `下一步，${name(source.leadAgency)}将继续加大查办力度，协调小组办公室跟踪督办，及时报告案件进展。`;

  const sections: Record<BulletinSectionKey, string> = {
    subject,
    source: leadSource,
    allegations,
    disposition,
    facts,
    measures,
    sanctions,
    recovered,
    nextSteps,
  };
  return { title: `关于${source.title}有关情况的专报`, sections };
}
