/**
 * Kafka topic names: the integration contract with member agencies' own systems. Versioned in the name so
 * a breaking change ships on a new topic while the old one is drained.
 */
export const TOPICS = {
  leads: 'coord.leads.v1',
  cases: 'coord.cases.v1',
  supervision: 'coord.supervision.v1',
  group: 'coord.group.v1',
  /** agency systems submit leads and progress reports here (issue: distributed profile) */
  intake: 'coord.intake.v1',
  intakeDeadLetter: 'coord.intake.dlq.v1',
} as const;

/**
 * Which stream categories are published, and where. Accounts (password hashes, even if only in the
 * confidential part), ledgers (internal numbering) and the calendar stay inside.
 */
export const TOPIC_BY_CATEGORY: Readonly<Record<string, string>> = {
  lead: TOPICS.leads,
  case: TOPICS.cases,
  supervision: TOPICS.supervision,
  group: TOPICS.group,
};

/** Every topic the relay publishes to (created by the publisher at start when missing). */
export const OUTBOUND_TOPICS: readonly string[] = [...new Set(Object.values(TOPIC_BY_CATEGORY))];

/** The intake side: agency submissions in, rejected submissions out with their reason. */
export const INTAKE_TOPICS: readonly string[] = [TOPICS.intake, TOPICS.intakeDeadLetter];
