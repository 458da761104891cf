/** The member agencies (成员单位) named in the seed, with stable codes. See shared/domain.md. */
export const AGENCY_CODES = [
  'discipline-commission',
  'organization-dept',
  'public-security',
  'court',
  'procuratorate',
  'supervision-bureau',
  'political-legal-committee',
  'hr-social-security',
  'audit-bureau',
  'finance-bureau',
] as const;

export type AgencyCode = string; // codes are data (membership changes over time); AGENCY_CODES is the seed

export type GroupRole = 'leader' | 'deputy' | 'member';

export interface SeedAgency {
  code: (typeof AGENCY_CODES)[number];
  name: string;
  groupRole: GroupRole;
}

export const SEED_AGENCIES: readonly SeedAgency[] = [
  { code: 'discipline-commission', name: '县纪委', groupRole: 'leader' },
  { code: 'organization-dept', name: '县委组织部', groupRole: 'deputy' },
  { code: 'public-security', name: '县公安局', groupRole: 'deputy' },
  { code: 'court', name: '县人民法院', groupRole: 'member' },
  { code: 'procuratorate', name: '县人民检察院', groupRole: 'member' },
  { code: 'supervision-bureau', name: '县监察局', groupRole: 'member' },
  { code: 'political-legal-committee', name: '县委政法委', groupRole: 'member' },
  { code: 'hr-social-security', name: '县人力资源和社会保障局', groupRole: 'member' },
  { code: 'audit-bureau', name: '县审计局', groupRole: 'member' },
  { code: 'finance-bureau', name: '县财政局', groupRole: 'member' },
];

/**
 * Agencies a case may be transferred to as 移送司法: the procuratorate (职务犯罪 → 检察院), the public
 * security bureau (non-duty crimes found in a case) and the court.
 */
export const JUDICIAL_ORGANS: readonly AgencyCode[] = ['procuratorate', 'public-security', 'court'];
