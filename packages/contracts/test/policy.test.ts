import { describe, expect, it } from 'vitest';
import { ACTIONS, decide, POLICIES, withinRegion } from '../src/policy';
import { can, ROLES } from '../src/roles';

const JIANGSU = '320000';
const BEIJING = '110000';
const NATION = '100000';
const user = (role: (typeof ROLES)[number], regionCode = JIANGSU) => ({ role, regionCode });

describe('the policy', () => {
  it('asks the role table first: a role without the permission is refused whatever the data', () => {
    for (const role of ROLES)
      for (const action of ACTIONS)
        for (const regionCode of [JIANGSU, BEIJING, NATION, null])
          if (!can(role, POLICIES[action].permission)) expect(decide(user(role), action, { regionCode })).toBe('role');
  });

  it('keeps national uploads to national users: a provincial clerk may not validate again, commit or revert them', () => {
    for (const action of ['reprocess:upload', 'commit:upload', 'save-mapping:upload'] as const) {
      expect(decide(user('clerk'), action, { regionCode: NATION })).toBe('hidden');
      expect(decide(user('clerk'), action, { regionCode: null })).toBe('hidden');
      expect(decide(user('clerk'), action, { regionCode: BEIJING })).toBe('hidden');
      expect(decide(user('clerk'), action, { regionCode: JIANGSU })).toBe('allowed');
      expect(decide(user('clerk', NATION), action, { regionCode: JIANGSU })).toBe('allowed');
      expect(decide(user('clerk', NATION), action, { regionCode: NATION })).toBe('allowed');
    }
    expect(decide(user('office'), 'revert:upload', { regionCode: NATION })).toBe('hidden');
    expect(decide(user('clerk'), 'revert:upload', { regionCode: JIANGSU })).toBe('role');
  });

  it('lets everyone read the nation’s published figures but change them only nationally (403, not hidden)', () => {
    expect(decide(user('leader'), 'read:figures', { regionCode: NATION })).toBe('allowed');
    expect(decide(user('office'), 'write:target', { regionCode: NATION })).toBe('scope');
    expect(decide(user('office'), 'update:batch', { regionCode: null, batchLevel: 'national' })).toBe('scope');
    expect(decide(user('office'), 'update:batch', { regionCode: JIANGSU, batchLevel: 'provincial' })).toBe('allowed');
    expect(decide(user('office'), 'update:batch', { regionCode: BEIJING, batchLevel: 'provincial' })).toBe('hidden');
    expect(decide(user('office', NATION), 'update:batch', { regionCode: null, batchLevel: 'alliance' })).toBe('allowed');
  });

  it('hides another province’s own records: execution, scenarios, follow-ups, accounts', () => {
    for (const action of ['read:execution', 'read:scenario', 'write:scenario', 'write:follow-up', 'manage:user'] as const)
      expect([action, decide(user('admin'), action, { regionCode: BEIJING })]).toEqual([action, 'hidden']);
    // a province's sum of every province's hospitals is not a provincial user's to read
    expect(decide(user('leader'), 'read:execution', { regionCode: NATION })).toBe('hidden');
    expect(decide(user('leader', NATION), 'read:execution', { regionCode: BEIJING })).toBe('allowed');
  });

  it('asks only the role when no data is named', () => {
    expect(decide(user('clerk'), 'commit:upload')).toBe('allowed');
    expect(decide(user('leader'), 'commit:upload')).toBe('role');
  });

  it('keeps an upload’s rows within its region', () => {
    expect(withinRegion(JIANGSU, JIANGSU)).toBe(true);
    expect(withinRegion(JIANGSU, BEIJING)).toBe(false);
    expect(withinRegion(NATION, BEIJING)).toBe(true);
    expect(withinRegion(null, BEIJING)).toBe(true);
  });
});
