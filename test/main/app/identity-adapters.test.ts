import { describe, expect, it } from 'vitest';
import { identityEnrollment } from '../../../main/app/identity-enrollment.js';
import { identityPins } from '../../../main/app/identity-pins.js';
import { IdentityError } from '../../../main/identity/identity-error.js';

const silentLog = { warn: () => {} };

describe('identityPins: the PinService as the session engine sees it', () => {
  it('turns a PIN that was never set or whose record is damaged into needs-reset, with the reason', async () => {
    for (const code of ['pin-not-set', 'record-damaged'] as const) {
      const pins = identityPins({ verify: async () => Promise.reject(new IdentityError(code, `reason for ${code}`)) });
      expect(await pins.verify('u-ana', '4826')).toEqual({
        ok: false,
        reason: 'needs-reset',
        message: `reason for ${code}`,
      });
    }
  });

  it('passes results through and leaves other errors to the engine', async () => {
    expect(
      await identityPins({
        verify: async () => ({ ok: false, reason: 'wrong', attemptsLeft: 2, retryInMs: 1000 }),
      }).verify('u', '4826'),
    ).toEqual({
      ok: false,
      reason: 'wrong',
      attemptsLeft: 2,
      retryInMs: 1000,
    });
    const broken = identityPins({ verify: async () => Promise.reject(new Error('disk gone')) });
    await expect(broken.verify('u', '4826')).rejects.toThrow('disk gone');
  });
});

describe('identityEnrollment: two-phase enrollment as outcomes', () => {
  const user = { userId: 'u-eve', displayName: 'Eve', roles: ['nurse'] };
  const service = {
    pendingTtlMs: 90_000,
    beginEnrollment: async (badgeHash: string) => {
      if (badgeHash === 'taken')
        throw new IdentityError(
          'badge-bound-to-other-account',
          'This badge is already enrolled for Ana; ask IT to unenroll it first.',
        );
      return { id: 'p1', kind: 'enroll' as const, badgeHash, user: { ...user, username: 'eve' } };
    },
    beginPinReset: async (userId: string) => ({
      id: 'p2',
      kind: 'pin-reset' as const,
      badgeHash: undefined,
      user: { ...user, userId },
    }),
    completeEnrollment: async (_id: string, pin: string) => {
      if (pin === '1111') throw new IdentityError('pin-rejected', 'That PIN is too easy to guess.');
      if (pin === '9999') throw new Error('EACCES: identity store');
      if (pin === '2468')
        return {
          ...user,
          temporary: { sponsorUserId: 'u-c', sponsorName: 'C', expiresAt: '2026-01-08T08:00:00.000Z' },
        };
      return user;
    },
    completePinReset: async () => {},
    cancel: async () => Promise.reject(new Error('store offline')),
  };
  const enrollment = identityEnrollment(service, silentLog);
  const live = new AbortController().signal;

  it('reports when a sponsored (temporary) enrollment ends, and nothing for a permanent one', async () => {
    expect(await enrollment.complete({ pendingId: 'p1', purpose: 'enroll', pin: '2468' })).toEqual({
      ok: true,
      temporaryUntil: '2026-01-08T08:00:00.000Z',
    });
    expect(await enrollment.complete({ pendingId: 'p1', purpose: 'enroll', pin: '4826' })).toEqual({ ok: true });
  });

  it('shares the identity layer deadline and reports who signed in, without extra fields', async () => {
    expect(enrollment.ttlMs).toBe(90_000);
    expect(await enrollment.begin({ purpose: 'enroll', badgeHash: 'b' }, live)).toEqual({
      ok: true,
      pendingId: 'p1',
      user,
    });
    expect(await enrollment.begin({ purpose: 'pin-reset', userId: 'u-x' }, live)).toMatchObject({
      ok: true,
      pendingId: 'p2',
      user: { userId: 'u-x' },
    });
  });

  it('carries the identity message for the clinician; only a refused PIN may be retried', async () => {
    expect(await enrollment.begin({ purpose: 'enroll', badgeHash: 'taken' }, live)).toEqual({
      ok: false,
      message: 'This badge is already enrolled for Ana; ask IT to unenroll it first.',
    });
    expect(await enrollment.complete({ pendingId: 'p1', purpose: 'enroll', pin: '1111' })).toEqual({
      ok: false,
      retry: true,
      message: 'That PIN is too easy to guess.',
    });
    const failed = await enrollment.complete({ pendingId: 'p1', purpose: 'enroll', pin: '9999' });
    expect(failed).toMatchObject({ ok: false, retry: false });
    expect(failed.ok === false && failed.message).toMatch(
      /could not be saved \(EACCES: identity store\); try again, or call IT/,
    );
    expect(await enrollment.complete({ pendingId: 'p2', purpose: 'pin-reset', pin: '2580' })).toEqual({ ok: true });
  });

  it('cancel never rejects: a failure is logged', async () => {
    const warnings: string[] = [];
    await expect(identityEnrollment(service, { warn: (m) => warnings.push(m) }).cancel('p1')).resolves.toBeUndefined();
    expect(warnings[0]).toMatch(/store offline/);
  });
});
