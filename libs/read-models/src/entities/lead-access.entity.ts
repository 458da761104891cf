import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from './column-options';

/**
 * The agency scoping filter for leads: one row per (lead, agency) that registered, held or was sent the
 * lead. Rows are never removed — once an agency has seen a lead it keeps seeing it (a returned transfer
 * does not erase what the receiving agency already read). The single-column key `${leadId}|${agency}`
 * keeps the runner's key model simple; the (agency, lead_id) index serves the scope join.
 */
@Entity('lead_access')
@Index('ix_lead_access_agency', ['agency', 'leadId'], { unique: true })
@Index('ix_lead_access_lead', ['leadId'])
export class LeadAccessEntity {
  @PrimaryColumn({ type: 'varchar', name: 'access_key' })
  accessKey!: string;

  @Column({ type: 'varchar', name: 'lead_id' })
  leadId!: string;

  @Column({ type: 'varchar', name: 'agency' })
  agency!: string;

  /** how the agency first came to see it: registered | sent | held */
  @Column({ type: 'varchar', name: 'via' })
  via!: string;

  @Column({ type: 'bigint', name: 'since_position', transformer: bigintAsNumber })
  sincePosition!: number;
}
