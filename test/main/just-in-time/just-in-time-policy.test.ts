import { describe, expect, it } from 'vitest';
import {
  approverRolesOf,
  DEFAULT_JUST_IN_TIME_POLICY,
  justInTimePolicySchema,
  maxMinutesOf,
} from '../../../main/just-in-time/just-in-time-policy.js';

describe('justInTime policy section', () => {
  it('has sensible defaults: every scope needs an approver, patient grants a step-up', () => {
    const p = DEFAULT_JUST_IN_TIME_POLICY;
    expect(p.requesterRoles).toEqual(['clinical']);
    expect(p.scopes.map((s) => [s.kind, s.autoApprove, s.stepUp])).toEqual([
      ['unit', false, false],
      ['patient', false, true],
      ['role', false, false],
    ]);
    expect(approverRolesOf(p, 'unit')).toEqual(['charge-nurse', 'physician']);
    expect(maxMinutesOf(p, 'patient')).toBe(240);
  });

  it('lets a scope name its own approvers and caps a scope by the section maximum', () => {
    const p = justInTimePolicySchema.parse({
      maxMinutes: 60,
      defaultMinutes: 30,
      scopes: [
        { kind: 'role', values: [{ value: 'charge-nurse', label: 'Charge nurse' }], approverRoles: ['nurse-manager'] },
      ],
    });
    expect(approverRolesOf(p, 'role')).toEqual(['nurse-manager']);
    expect(maxMinutesOf(p, 'role')).toBe(60);
  });

  it.each([
    [{ defaultMinutes: 800, maxMinutes: 700 }, 'defaultMinutes'],
    [{ scopes: [{ kind: 'unit', values: [] }] }, 'must list the values'],
    [{ scopes: [{ kind: 'patient' }, { kind: 'patient' }] }, 'may appear once'],
    [{ scopes: [{ kind: 'ward' }] }, 'kind'],
    [{ maxMinutes: 2 }, 'maxMinutes'],
    [{ purposes: [{ code: 'Has Spaces', label: 'x' }] }, 'code'],
    [{ approverRoles: [] }, 'approverRoles'],
    [{ surprise: true }, 'surprise'],
  ])('refuses %j', (section, problem) => {
    const parsed = justInTimePolicySchema.safeParse(section);
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain(problem);
  });
});
