import { describe, expect, it } from 'vitest';
import { resolveCareShellPolicy } from '../../../main/app/careshell-policy.js';
import {
  DEFAULT_TEMPORARY_ACCESS_POLICY,
  isTemporaryStaff,
  temporaryAccessPolicySchema,
} from '../../../main/temporary-access/temporary-access-policy.js';

const problems = (input: unknown) =>
  temporaryAccessPolicySchema.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);

describe('policy temporaryAccess', () => {
  it('defaults: charge nurses sponsor locum and agency staff for up to 14 days, any time of day', () => {
    expect(DEFAULT_TEMPORARY_ACCESS_POLICY).toEqual({
      sponsorRoles: ['charge-nurse'],
      temporaryRoles: ['locum', 'agency'],
      maxDays: 14,
      defaultDays: 7,
      shifts: [],
      requireShift: false,
      refuseEndedBadgeDays: 2,
    });
    // Every workstation has the rules, with or without the section: temporary staff never skip the sponsor.
    const resolved = resolveCareShellPolicy({ version: 1 } as never);
    expect(resolved.ok && resolved.policy.temporaryAccess).toEqual(DEFAULT_TEMPORARY_ACCESS_POLICY);
  });

  it('accepts shift windows, overnight ones included', () => {
    const policy = temporaryAccessPolicySchema.parse({
      shifts: [
        { start: '07:00', end: '19:30' },
        { start: '19:00', end: '07:30' },
      ],
      requireShift: true,
      maxDays: 30,
      defaultDays: 30,
    });
    expect(policy.shifts).toHaveLength(2);
  });

  it('names each wrong key', () => {
    expect(problems({ maxDays: 91 })).toEqual(['maxDays: Too big: expected number to be <=90']);
    expect(problems({ maxDays: 5 })).toEqual(['defaultDays: defaultDays must not be above maxDays']);
    expect(problems({ shifts: [{ start: '7:00', end: '19:30' }] })?.[0]).toMatch(
      /^shifts.0.start: a time of day is HH:MM/,
    );
    expect(problems({ shifts: [{ start: '07:00', end: '07:00' }] })?.[0]).toMatch(
      /must not start and end at the same time/,
    );
    expect(problems({ requireShift: true })).toEqual([
      'requireShift: requireShift needs at least one window in shifts',
    ]);
    expect(problems({ sponsorRoles: ['locum'] })).toEqual([
      'sponsorRoles: a role cannot both sponsor and mark temporary staff',
    ]);
    expect(problems({ sponsors: ['x'] })?.[0]).toMatch(/Unrecognized key/);
  });

  it('marks a person temporary by any of the temporary roles in their ID token', () => {
    expect(isTemporaryStaff(DEFAULT_TEMPORARY_ACCESS_POLICY, ['clinical', 'agency'])).toBe(true);
    expect(isTemporaryStaff(DEFAULT_TEMPORARY_ACCESS_POLICY, ['nurse', 'charge-nurse'])).toBe(false);
  });
});
