import { CaseAccessEntity } from '../entities/case-access.entity';
import { known, perKey, type ProjectedEvent, type RowProjection } from '../projection';

type Row = CaseAccessEntity;

export const caseAccessKey = (caseId: string, agency: string): string => `${caseId}|${agency}`;

function grants(event: ProjectedEvent): { caseId: string; agency: string; role: string }[] {
  const e = known(event);
  switch (e.type) {
    case 'case.filed':
      return [
        { caseId: e.data.caseId, agency: e.data.leadAgency, role: 'lead' },
        ...e.data.coAgencies.filter((a) => a !== e.data.leadAgency).map((agency) => ({ caseId: e.data.caseId, agency, role: 'co' })),
      ];
    case 'case.transferred-to-judiciary':
      return [{ caseId: e.data.caseId, agency: e.data.toAgency, role: 'judicial' }];
    default:
      return [];
  }
}

const keys = (e: ProjectedEvent): readonly string[] => [...new Set(grants(e).map((g) => caseAccessKey(g.caseId, g.agency)))];

/** The agency scope of cases: the lead agency (主办), co-handling agencies (协办) and the judicial recipient. */
export const caseAccessProjection: RowProjection<Row> = {
  name: 'case-access',
  entity: CaseAccessEntity,
  primaryKey: 'accessKey',
  handles: ['case.filed', 'case.transferred-to-judiciary'],
  keys,
  apply: perKey<Row>(keys, (row, e, key) => {
    if (row) return undefined;
    const g = grants(e).find((x) => caseAccessKey(x.caseId, x.agency) === key);
    return g ? { accessKey: key, caseId: g.caseId, agency: g.agency, role: g.role, sincePosition: e.position } : undefined;
  }),
};
