import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/manual-clock.js';
import type { AuditEvent } from '../../../main/audit/audit-event.js';
import { MemoryAuditSink } from '../../../main/audit/memory-audit-sink.js';
import type { DirectoryUser, PinResult } from '../../../main/session/ports.js';
import { Sponsorship, SponsorshipEnded } from '../../../main/temporary-access/sponsorship.js';
import { temporaryAccessPolicySchema } from '../../../main/temporary-access/temporary-access-policy.js';

const NEWCOMER = { userId: 'u-locum', displayName: 'Lee (locum)', roles: ['locum'], badgeHash: 'a'.repeat(64) };
const PEOPLE: Record<string, DirectoryUser> = {
  ['c'.repeat(64)]: { userId: 'u-charge', displayName: 'Chris', roles: ['charge-nurse'] },
  ['d'.repeat(64)]: { userId: 'u-agency', displayName: 'Dee (agency)', roles: ['agency', 'charge-nurse-x'] },
};
const SHIFT = { start: '07:00', end: '19:30' };

function setup(
  policy: Record<string, unknown> = {},
  audit: { append(e: AuditEvent): Promise<void> } = new MemoryAuditSink(),
) {
  const clock = new ManualClock();
  const sponsorship = new Sponsorship({
    policy: temporaryAccessPolicySchema.parse(policy),
    clock,
    audit,
    workstation: 'ws',
    resolveBadge: async (h) => PEOPLE[h],
    verifyPin: async (_userId, pin): Promise<PinResult> =>
      pin === '7391' ? { ok: true } : { ok: false, reason: 'locked-out', newly: true },
  });
  return { clock, sponsorship };
}

describe('Sponsorship', () => {
  it('refuses temporary staff as sponsors, and a locked PIN sends the dialog back to the badge', async () => {
    const { sponsorship } = setup({ sponsorRoles: ['charge-nurse', 'charge-nurse-x'] });
    const granted = sponsorship.request(NEWCOMER);
    await sponsorship.badge('d'.repeat(64));
    expect(sponsorship.state()?.error).toBe('Dee (agency) is temporary staff and cannot sponsor.');
    await sponsorship.badge('c'.repeat(64));
    expect(await sponsorship.pin('0000')).toEqual({
      ok: false,
      message: "Chris's PIN is locked: another sponsor must confirm.",
    });
    expect(sponsorship.state()).toMatchObject({ step: 'badge' });
    expect(sponsorship.takesBadge()).toBe(true);
    sponsorship.cancel();
    await expect(granted).rejects.toBeInstanceOf(SponsorshipEnded);
    expect(sponsorship.takesBadge()).toBe(false);
  });

  it('offers only the policy shift windows, and requires one where policy says so', async () => {
    const { sponsorship, clock } = setup({ shifts: [SHIFT], requireShift: true, maxDays: 3, defaultDays: 2 });
    const granted = sponsorship.request(NEWCOMER);
    expect(sponsorship.state()).toMatchObject({ shifts: [SHIFT], requireShift: true, maxDays: 3, defaultDays: 2 });
    await sponsorship.badge('c'.repeat(64));
    await sponsorship.pin('7391');
    expect(sponsorship.confirm({ days: 2, shift: null }).message).toBe(
      'Choose a shift window: policy requires one for temporary staff.',
    );
    expect(sponsorship.confirm({ days: 2, shift: { start: '06:00', end: '18:00' } }).message).toBe(
      'Choose one of the shift windows offered.',
    );
    expect(sponsorship.confirm({ days: 2, shift: SHIFT })).toEqual({ ok: true });
    expect(await granted).toEqual({
      sponsorUserId: 'u-charge',
      sponsorName: 'Chris',
      expiresAt: new Date(clock.wallTime().getTime() + 2 * 86_400_000).toISOString(),
      shift: SHIFT,
    });
    expect(sponsorship.state()).toBeNull();
  });

  it('closes when the enrollment stops waiting, and a new enrollment replaces an old request', async () => {
    const { sponsorship } = setup();
    const controller = new AbortController();
    const first = sponsorship.request(NEWCOMER, controller.signal);
    controller.abort();
    await expect(first).rejects.toThrow('The enrollment was cancelled or timed out.');
    expect(sponsorship.state()).toBeNull();
    const second = sponsorship.request(NEWCOMER);
    const third = sponsorship.request({ ...NEWCOMER, userId: 'u-other' });
    await expect(second).rejects.toThrow('Another enrollment started on this workstation.');
    sponsorship.cancel();
    await expect(third).rejects.toThrow(/No sponsor confirmed/);
  });

  it('ends the sponsorship when a refusal cannot be audited', async () => {
    const failing = { append: async () => Promise.reject(new Error('disk full')) };
    const { sponsorship } = setup({}, failing);
    const granted = sponsorship.request(NEWCOMER);
    await sponsorship.badge('b'.repeat(64));
    await expect(granted).rejects.toThrow('The audit trail is unavailable, so this sponsorship cannot go on: call IT.');
    expect(sponsorship.state()).toBeNull();
  });

  it('publishes every change of the dialog', async () => {
    const { sponsorship } = setup();
    const seen: (string | null)[] = [];
    const off = sponsorship.onState((s) => seen.push(s ? `${s.step}${s.busy ? ' busy' : ''}` : null));
    void sponsorship.request(NEWCOMER).catch(() => undefined);
    await sponsorship.badge('c'.repeat(64));
    sponsorship.cancel();
    off();
    expect(seen).toEqual(['badge', 'badge busy', 'pin', null]);
  });
});
