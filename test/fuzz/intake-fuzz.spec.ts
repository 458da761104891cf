import fc from 'fast-check';
import { InputProblem, toProblem } from '../../apps/api/src/http/problem-details';
import { createValidationPipe } from '../../apps/api/src/http/validation';
import { deadLetterValue, parseIntake, type IntakeRecord } from '../../apps/api/src/intake/intake-message';
import { adversarialString, bodyArbitrary, fromJs, INFORMANT_MARKER, Raw, serialize, short, type Payload } from './support/adversarial';

/**
 * Hostile Kafka intake messages, without a broker: the pure part of the IntakeConsumer's path — parse and
 * validate (parseIntake, with the api's own ValidationPipe), map the refusal to a problem (toProblem, the
 * DLQ headers) and copy the value to the dead-letter topic (deadLetterValue). Properties:
 *  - parseIntake either yields a command or rejects with an InputProblem — the consumer dead-letters
 *    InputProblems and commits; any OTHER error it takes for a transient failure and retries forever,
 *    so a message that raised one would block its partition (the intake's equivalent of a 500);
 *  - the problem is a 4xx and, like the dead-letter copy, never holds the informant marker.
 * COORD_FUZZ_SEED / COORD_FUZZ_RUNS as for the HTTP suite.
 */
const SEED = Number(process.env.COORD_FUZZ_SEED ?? 20_261_127);
const RUNS = Number(process.env.COORD_FUZZ_RUNS ?? 40) * 10;

const pipe = createValidationPipe();
const now = new Date('2026-11-27T02:00:00Z');
const today = '2026-11-27';
const informant = { name: `${INFORMANT_MARKER}-name`, contact: `${INFORMANT_MARKER}-contact` };
const leadEnvelope = fromJs({
  kind: 'lead',
  agency: 'audit-bureau',
  body: {
    source: 'audit-finding',
    reportingAgency: 'audit-bureau',
    subject: { name: '王某某', post: '局长', unit: '县住建局' },
    allegation: '收受好处费',
    receivedOn: '2026-11-20',
    important: true,
    informant,
  },
});
const reportEnvelope = fromJs({
  kind: 'progress-report',
  agency: 'audit-bureau',
  caseId: '7d3c1e0e-2b7a-4c43-9b55-6a1f1a0f0000',
  body: { stage: 'investigation', summary: '已调取账目', reportedOn: '2026-11-20' },
});

const key: fc.Arbitrary<string | null> = fc.oneof(
  { weight: 6, arbitrary: fc.constant('agency-key-00000001') },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: adversarialString },
);
const value: fc.Arbitrary<string | null> = fc.oneof(
  { weight: 8, arbitrary: fc.oneof(bodyArbitrary(leadEnvelope), bodyArbitrary(reportEnvelope)).map((p: Payload) => p.text) },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: adversarialString },
  { weight: 1, arbitrary: fc.constant(serialize(new Raw(`{"kind":"lead","agency":"audit-bureau","body":${'['.repeat(12_000)}${']'.repeat(12_000)}}`))) },
);
const correlationId = fc.option(fc.oneof(fc.constant('corr-1'), adversarialString), { freq: 3 });

async function outcome(record: IntakeRecord): Promise<{ ok: true } | { ok: false; error: unknown }> {
  try {
    await parseIntake(record, pipe, now, today);
    return { ok: true };
  } catch (error) {
    return { ok: false, error };
  }
}

describe('hostile intake messages (no broker: parsing, refusal, dead-letter copy)', () => {
  it('every message is a command or an InputProblem with a 4xx problem; neither the problem nor the DLQ copy holds the informant', async () => {
    await fc.assert(
      fc.asyncProperty(key, value, correlationId, async (k, v, c) => {
        const record: IntakeRecord = { key: k, value: v, ...(c !== null ? { correlationId: c } : {}) };
        const result = await outcome(record);
        if (!result.ok) {
          if (!(result.error instanceof InputProblem)) throw new Error(`not an InputProblem (the consumer would retry it forever): ${String(result.error)}`);
          const problem = toProblem(result.error);
          expect(problem.status).toBeGreaterThanOrEqual(400);
          expect(problem.status).toBeLessThan(500);
          expect(JSON.stringify(problem)).not.toContain(INFORMANT_MARKER);
        }
        const copy = deadLetterValue(v);
        expect(copy.value ?? '').not.toContain(INFORMANT_MARKER);
      }),
      { seed: SEED, numRuns: RUNS, examples: [] },
    ).catch((err: Error) => {
      throw new Error(`intake property failed (replay with COORD_FUZZ_SEED=${SEED}): ${short(err.message, 3000)}`);
    });
  }, 120_000);
});
