import { createValidationPipe } from '../http/validation';
import { InputProblem } from '../http/problem-details';
import { deadLetterValue, parseIntake, REDACTED } from './intake-message';

const pipe = createValidationPipe();
const now = new Date('2026-11-27T02:00:00Z');
const lead = { source: 'audit-finding', reportingAgency: 'audit-bureau', subject: { name: '王某某', post: '局长', unit: '县住建局' }, allegation: 'a', receivedOn: '2026-11-20' };
const parse = (key: string | null, value: unknown) => parseIntake({ key, value: typeof value === 'string' ? value : JSON.stringify(value) }, pipe, now, '2026-11-27');
const problemOf = async (p: Promise<unknown>) => {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(InputProblem);
  return e as InputProblem;
};

describe('intake message parsing', () => {
  it('given the same key twice, then the same command id, lead id and agency actor', async () => {
    const a = await parse('key-00000001', { kind: 'lead', agency: 'audit-bureau', body: lead });
    const b = await parse('key-00000001', { kind: 'lead', agency: 'audit-bureau', body: lead });
    expect(a.command.meta.commandId).toBe(b.command.meta.commandId);
    expect(a.command.meta.ctx.actor).toEqual({ userId: 'intake:audit-bureau', username: 'intake:audit-bureau', role: 'agency', agency: 'audit-bureau' });
    expect(a.command.meta.idempotencyKeyGiven).toBe(true);
    expect((await parse('key-00000002', { kind: 'lead', agency: 'audit-bureau', body: lead })).command.meta.commandId).not.toBe(a.command.meta.commandId);
  });

  it('given a string where the HTTP body needs a boolean, then it is refused as over HTTP (no implicit conversion)', async () => {
    const p = await problemOf(parse('key-00000001', { kind: 'lead', agency: 'audit-bureau', body: { ...lead, important: 'true' } }));
    expect(p.errors).toEqual([{ field: 'body.important', message: '必须是布尔值' }]);
  });

  it('given an unknown envelope field, a bad kind or a progress report without case, then the field is named', async () => {
    expect((await problemOf(parse('key-00000001', { kind: 'lead', agency: 'audit-bureau', body: lead, extra: 1 }))).errors).toEqual([{ field: 'extra', message: '不允许的字段' }]);
    expect((await problemOf(parse('key-00000001', { kind: 'case', agency: 'audit-bureau', body: lead }))).errors).toEqual([{ field: 'kind', message: '取值不在允许范围内' }]);
    expect((await problemOf(parse('key-00000001', { kind: 'progress-report', agency: 'audit-bureau', body: {} }))).errors).toEqual([{ field: 'caseId', message: '必填' }]);
  });

  it('given a missing or malformed key, or a value that is not JSON, then it is refused', async () => {
    expect((await problemOf(parse(null, { kind: 'lead', agency: 'audit-bureau', body: lead }))).errors).toEqual([{ field: 'key', message: '格式不正确' }]);
    expect((await problemOf(parse('short', { kind: 'lead', agency: 'audit-bureau', body: lead }))).code).toBe('malformed-intake-message');
    expect((await problemOf(parse('key-00000001', '{nope'))).code).toBe('malformed-json');
  });
});

describe('dead-letter copy', () => {
  it('given an informant anywhere in a JSON value, then it is redacted', () => {
    const copy = deadLetterValue(JSON.stringify({ kind: 'lead', body: { informant: { name: '李举报', contact: '137' }, subject: { name: '王某某' } } }));
    expect(copy.value).not.toContain('李举报');
    expect(JSON.parse(copy.value!)).toEqual({ kind: 'lead', body: { informant: REDACTED, subject: { name: '王某某' } } });
  });

  it('given a value that is not JSON, then it is copied only when it cannot hold an informant', () => {
    expect(deadLetterValue('{not json')).toEqual({ value: '{not json', withheld: false });
    expect(deadLetterValue('{"informant": {"name": "李举报"')).toEqual({ value: null, withheld: true });
  });
});
