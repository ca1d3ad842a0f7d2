import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/manual-clock.js';
import { systemRandom } from '../../../common/random.js';
import { JitGrantStore, type JitIssue } from '../../../tools/demo-ehr/jit-grant-store.js';

const issue = (extra: Partial<JitIssue> = {}): JitIssue => ({
  holder: 'u-nurse-ana',
  holderName: 'Ana',
  scope: { kind: 'unit', unit: 'unit-ed' },
  purpose: { code: 'covering-unit', text: 'night shift' },
  approval: { kind: 'auto' },
  durationMinutes: 10,
  ...extra,
});

describe('JitGrantStore', () => {
  it('serves a grant until its monotonic deadline, computed at each read', () => {
    const clock = new ManualClock(new Date('2026-12-06T08:00:00Z'));
    const store = new JitGrantStore(clock, systemRandom);
    const grant = store.issue(issue());
    expect(grant.id).toMatch(/^jit-[0-9a-f-]{36}$/);
    expect(store.unitGrant('u-nurse-ana', 'unit-ed')).toBe(grant.id);
    expect(store.unitGrant('u-er-ben', 'unit-ed')).toBeUndefined();
    // No timer runs: the status is computed from the clock at each read.
    clock.advanceWithoutFiring(5 * 60_000);
    expect(store.statusOf(grant)).toBe('active');
    clock.advanceWithoutFiring(5 * 60_000 - 1);
    expect(store.msLeft(grant)).toBe(1);
    clock.advanceWithoutFiring(1);
    expect(store.statusOf(grant)).toBe('expired');
    expect(store.unitGrant('u-nurse-ana', 'unit-ed')).toBeUndefined();
  });

  it('ends grants at once and idempotently, per holder', () => {
    const clock = new ManualClock(new Date('2026-12-06T08:00:00Z'));
    const store = new JitGrantStore(clock, systemRandom);
    const patient = store.issue(issue({ scope: { kind: 'patient', patient: 'Patient/p-1' } }));
    const role = store.issue(issue({ scope: { kind: 'role', role: 'charge-nurse' } }));
    expect(store.patientGrant('u-nurse-ana', 'Patient/p-1')).toBe(patient.id);
    expect(store.roleGrant('u-nurse-ana', 'charge-nurse')).toBe(role.id);
    store.end(patient);
    const endedAt = patient.endedAt;
    clock.advance(1000);
    store.end(patient);
    expect(patient.endedAt).toBe(endedAt);
    expect(store.statusOf(patient)).toBe('ended');
    expect(store.patientGrant('u-nurse-ana', 'Patient/p-1')).toBeUndefined();
    expect(store.endAllOf('u-nurse-ana')).toBe(1);
    expect(store.roleGrant('u-nurse-ana', 'charge-nurse')).toBeUndefined();
  });
});
