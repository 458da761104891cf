import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTIONS, allows, INTAKE_ACTIONS, POLICY, renderPolicyMarkdown, type ActionPolicy } from './policy';
import { isImplicated, recusalStatus } from './recusal';

const base = { userId: 'u1', username: 'zhang', role: 'leadership' as const };

describe('the authorization policy table', () => {
  it('leadership and auditors never write, except the declared leadership approval of bulletins', () => {
    for (const action of ACTIONS) {
      const p: ActionPolicy = POLICY[action];
      if (p.kind !== 'write') continue;
      expect([action, p.grants.auditor]).toEqual([action, 'none']);
      if (p.leadershipWrite) expect(action).toBe('bulletin.approve');
      else expect([action, p.grants.leadership]).toEqual([action, 'none']);
    }
  });

  it('an agency never gets a county-wide scope on a lead, case, supervision or ledger read', () => {
    for (const action of ACTIONS.filter((a) => /^(lead|case|supervision|ledger|report|notification)\./.test(a))) {
      expect([action, POLICY[action].grants.agency]).not.toEqual([action, 'all']);
    }
  });

  it('the system role (seeding, process managers) is not an HTTP role and is granted nothing', () => {
    for (const action of ACTIONS) expect(allows('system', action)).toBe(false);
  });

  it('Kafka intake kinds map to actions an agency is granted', () => {
    for (const action of Object.values(INTAKE_ACTIONS)) expect(allows('agency', action)).toBe(true);
  });

  it('docs/security-authorization.md carries the table as rendered from the code', () => {
    const doc = readFileSync(join(__dirname, '../../../../../docs/security-authorization.md'), 'utf8');
    expect(doc).toContain(renderPolicyMarkdown());
  });
});

describe('回避 (recusal)', () => {
  const subjects = [{ name: '王某某', unit: '县住建局' }];

  it('refuses a user whose name AND unit match a subject (trimmed, full-width normalized)', () => {
    expect(isImplicated({ ...base, fullName: '王某某', unit: '县住建局' }, subjects)).toBe(true);
    expect(isImplicated({ ...base, fullName: ' 王某某　', unit: '县住建局 ' }, subjects)).toBe(true);
  });

  it('does not refuse a namesake in another unit, a colleague of the same unit, or a user without a recorded identity', () => {
    expect(isImplicated({ ...base, fullName: '王某某', unit: '县财政局' }, subjects)).toBe(false);
    expect(isImplicated({ ...base, fullName: '李某', unit: '县住建局' }, subjects)).toBe(false);
    expect(isImplicated(base, subjects)).toBe(false);
    expect(isImplicated({ ...base, fullName: '王某某' }, subjects)).toBe(false);
  });

  it('answers reads with 404 (existence not confirmed) and writes with 403', () => {
    expect(recusalStatus('read')).toBe(404);
    expect(recusalStatus('write')).toBe(403);
  });
});
