import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/manual-clock.js';
import { systemRandom } from '../../../common/random.js';
import { GrantStore, type GrantRequest } from '../../../tools/demo-ehr/grant-store.js';

const MINUTE = 60_000;
const request: GrantRequest = {
  holder: 'u-nurse-ana',
  holderName: 'Ana',
  scope: { kind: 'patient', patient: 'Patient/p-1005' },
  reason: { code: 'emergency-care', text: 'Collapsed in the corridor' },
  durationMinutes: 30,
};

function setUp() {
  const clock = new ManualClock();
  return { clock, grants: new GrantStore(clock, systemRandom) };
}

describe('GrantStore', () => {
  it('serves until the server-side expiry and not a millisecond after', () => {
    const { clock, grants } = setUp();
    const grant = grants.activate(request);
    expect(grant.expiresAt.getTime() - grant.issuedAt.getTime()).toBe(30 * MINUTE);
    clock.advance(30 * MINUTE - 1);
    expect(grants.activeGrantCovering('u-nurse-ana', 'Patient/p-1005')).toBe(grant.id);
    expect(grants.msLeft(grant)).toBe(1);
    clock.advance(1);
    expect(grants.statusOf(grant)).toBe('expired');
    expect(grants.msLeft(grant)).toBe(0);
    expect(grants.activeGrantCovering('u-nurse-ana', 'Patient/p-1005')).toBeUndefined();
  });

  it('a wall-clock jump does not move the expiry', () => {
    const { clock, grants } = setUp();
    const grant = grants.activate(request);
    clock.jumpWallClock(-24 * 60 * MINUTE);
    clock.advance(30 * MINUTE);
    expect(grants.statusOf(grant)).toBe('expired');
  });

  it('covers only its holder and its scope', () => {
    const { grants } = setUp();
    grants.activate(request);
    expect(grants.activeGrantCovering('u-er-ben', 'Patient/p-1005')).toBeUndefined();
    expect(grants.activeGrantCovering('u-nurse-ana', 'Patient/p-1006')).toBeUndefined();
    const all = grants.activate({ ...request, scope: { kind: 'all-restricted' } });
    expect(grants.activeGrantCovering('u-nurse-ana', 'Patient/p-1006')).toBe(all.id);
  });

  it('ending is immediate and idempotent, and an expired grant stays expired when ended', () => {
    const { clock, grants } = setUp();
    const grant = grants.activate(request);
    clock.advance(MINUTE);
    grants.end(grant);
    const endedAt = grant.endedAt;
    expect(grants.statusOf(grant)).toBe('ended');
    clock.advance(MINUTE);
    grants.end(grant);
    expect(grant.endedAt).toBe(endedAt);
    expect(grants.activeGrantCovering('u-nurse-ana', 'Patient/p-1005')).toBeUndefined();
    const expired = grants.activate(request);
    clock.advance(30 * MINUTE);
    grants.end(expired);
    expect(grants.statusOf(expired)).toBe('expired');
    expect(expired.endedAt).toBeUndefined();
  });

  it('ends every active grant of one holder and no one else', () => {
    const { grants } = setUp();
    grants.activate(request);
    grants.activate({ ...request, scope: { kind: 'all-restricted' } });
    const other = grants.activate({ ...request, holder: 'u-er-ben' });
    expect(grants.endAllOf('u-nurse-ana')).toBe(2);
    expect(grants.activeOf('u-nurse-ana')).toEqual([]);
    expect(grants.statusOf(other)).toBe('active');
  });

  it('refuses a duration outside its limits', () => {
    const { grants } = setUp();
    expect(() => grants.activate({ ...request, durationMinutes: 14 })).toThrow(/between 15 and 480/);
    expect(() => grants.activate({ ...request, durationMinutes: 481 })).toThrow(/between 15 and 480/);
    expect(() => grants.activate({ ...request, durationMinutes: Number.NaN })).toThrow(RangeError);
  });
});
