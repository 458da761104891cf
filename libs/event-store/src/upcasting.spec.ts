import type { StoredEvent } from './event-envelope';
import { createUpcaster } from './upcasting';

const stored = (type: string, schemaVersion: number, data: unknown): StoredEvent => ({
  eventId: 'e-1',
  type,
  schemaVersion,
  data,
  streamId: 'lead-1',
  streamVersion: 1,
  position: 1,
  recordedAt: '2026-01-01T00:00:00.000Z',
  metadata: { occurredAt: '2026-01-01T00:00:00.000Z', actor: { userId: 'u', username: 'u', role: 'office' }, correlationId: 'c', causationId: 'c' },
});

describe('createUpcaster', () => {
  // example history: v1 had `subjectName`; v2 nested it under `subject`; v3 added `important` (default false)
  const upcast = createUpcaster({
    'lead.registered': {
      1: (d) => {
        const { subjectName, ...rest } = d as { subjectName: string };
        return { ...rest, subject: { name: subjectName } };
      },
      2: (d) => ({ important: false, ...(d as object) }),
    },
  });

  it('given a v1 event, when read, then it is lifted step by step to v3', () => {
    const out = upcast(stored('lead.registered', 1, { subjectName: '张某', allegation: 'x' }));
    expect(out.schemaVersion).toBe(3);
    expect(out.data).toEqual({ allegation: 'x', subject: { name: '张某' }, important: false });
  });

  it('given a v2 event, only the remaining step runs', () => {
    const out = upcast(stored('lead.registered', 2, { subject: { name: '王某' }, important: true }));
    expect(out).toMatchObject({ schemaVersion: 3, data: { subject: { name: '王某' }, important: true } });
  });

  it('leaves current events and unregistered types untouched (same object)', () => {
    const current = stored('lead.registered', 3, { a: 1 });
    const other = stored('case.filed', 1, { b: 2 });
    expect(upcast(current)).toBe(current);
    expect(upcast(other)).toBe(other);
  });

  it('does not mutate the stored event it was given', () => {
    const old = stored('lead.registered', 1, { subjectName: '李某' });
    upcast(old);
    expect(old).toMatchObject({ schemaVersion: 1, data: { subjectName: '李某' } });
  });

  it('refuses a registry with a gap in a chain', () => {
    expect(() => createUpcaster({ 'x.happened': { 1: (d) => d, 3: (d) => d } })).toThrow(/gap/);
  });
});
