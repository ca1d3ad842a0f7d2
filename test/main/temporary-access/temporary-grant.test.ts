import { describe, expect, it } from 'vitest';
import {
  admissionAt,
  inShift,
  msToShiftEnd,
  refusalText,
  type TemporaryGrant,
} from '../../../main/temporary-access/temporary-grant.js';

const local = (h: number, m = 0) => new Date(2026, 0, 5, h, m);
const grant = (over: Partial<TemporaryGrant> = {}): TemporaryGrant => ({
  sponsorUserId: 'u-charge',
  sponsorName: 'Chris',
  expiresAt: local(12).toISOString(),
  ...over,
});
const m = (h: number, min = 0) => h * 60 + min;

describe('the admission rule of temporary staff', () => {
  it('lets in before the expiry, and never at or after it', () => {
    expect(admissionAt(grant(), local(11, 59))).toEqual({ ok: true });
    expect(admissionAt(grant(), local(12))).toEqual({ ok: false, why: 'expired', expiresAt: local(12).toISOString() });
    expect(admissionAt(grant({ expiresAt: 'not a date' } as never), local(1))).toMatchObject({ why: 'expired' });
  });

  it('lets in only inside the shift window: start inclusive, end exclusive', () => {
    const day = { start: '07:00', end: '19:30' };
    expect([m(6, 59), m(7), m(19, 29), m(19, 30)].map((x) => inShift(day, x))).toEqual([false, true, true, false]);
    const night = { start: '19:00', end: '07:30' };
    expect([m(18, 59), m(19), m(0), m(7, 29), m(7, 30)].map((x) => inShift(night, x))).toEqual([
      false,
      true,
      true,
      true,
      false,
    ]);
    const g = grant({ expiresAt: local(23).toISOString(), shift: day });
    expect(admissionAt(g, local(6, 30))).toEqual({ ok: false, why: 'off-shift', shift: day });
    expect(admissionAt(g, local(8))).toEqual({ ok: true });
    // Expiry wins over the window.
    expect(admissionAt(grant({ shift: day }), local(13))).toMatchObject({ why: 'expired' });
  });

  it('knows how long until the shift ends, past midnight too', () => {
    expect(msToShiftEnd(undefined, local(8))).toBeUndefined();
    expect(msToShiftEnd({ start: '07:00', end: '19:30' }, local(19))).toBe(30 * 60_000);
    expect(msToShiftEnd({ start: '19:00', end: '07:30' }, local(20))).toBe((11 * 60 + 30) * 60_000);
    expect(msToShiftEnd({ start: '07:00', end: '19:30' }, local(19, 30))).toBe(24 * 3_600_000);
  });

  it('says plainly why, and what to do', () => {
    expect(refusalText({ ok: false, why: 'expired', expiresAt: '2026-01-15T08:00:00.000Z' })).toBe(
      'Your temporary access ended on 2026-01-15. Ask your sponsor or the staffing office.',
    );
    expect(refusalText({ ok: false, why: 'off-shift', shift: { start: '07:00', end: '19:30' } })).toMatch(
      /only during your shift \(07:00–19:30\)/,
    );
  });
});
