import { LeadAccessEntity } from '../entities/lead-access.entity';
import { known, perKey, type ProjectedEvent, type RowProjection } from '../projection';

type Row = LeadAccessEntity;

export const leadAccessKey = (leadId: string, agency: string): string => `${leadId}|${agency}`;

/** Which agencies an event lets see the lead, and how. The first reason wins; access is never withdrawn. */
function grants(event: ProjectedEvent): { leadId: string; agency: string; via: string }[] {
  const e = known(event);
  switch (e.type) {
    case 'lead.registered':
      return [{ leadId: e.data.leadId, agency: e.data.reportingAgency, via: 'registered' }];
    case 'lead.transferred':
    case 'lead.transfer-forwarded':
      return [
        { leadId: e.data.leadId, agency: e.data.fromAgency, via: 'held' },
        { leadId: e.data.leadId, agency: e.data.toAgency, via: 'sent' },
      ];
    case 'lead.transfer-accepted':
      return [{ leadId: e.data.leadId, agency: e.data.agency, via: 'held' }];
    case 'lead.transfer-returned':
      return [{ leadId: e.data.leadId, agency: e.data.toAgency, via: 'held' }];
    case 'lead.disposition-decided':
      return [{ leadId: e.data.leadId, agency: e.data.agency, via: 'held' }];
    default:
      return [];
  }
}

const keys = (e: ProjectedEvent): readonly string[] => grants(e).map((g) => leadAccessKey(g.leadId, g.agency));

/** The agency scope of leads: "an agency sees only what it registered, holds, handles or was sent". */
export const leadAccessProjection: RowProjection<Row> = {
  name: 'lead-access',
  entity: LeadAccessEntity,
  primaryKey: 'accessKey',
  handles: ['lead.registered', 'lead.transferred', 'lead.transfer-forwarded', 'lead.transfer-accepted', 'lead.transfer-returned', 'lead.disposition-decided'],
  keys,
  apply: perKey<Row>(keys, (row, e, key) => {
    if (row) return undefined;
    const g = grants(e).find((x) => leadAccessKey(x.leadId, x.agency) === key);
    return g ? { accessKey: key, leadId: g.leadId, agency: g.agency, via: g.via, sincePosition: e.position } : undefined;
  }),
};
