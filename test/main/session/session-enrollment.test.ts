import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../main/audit/audit-event.js';
import { fakeHash, flush, makeRig, UNKNOWN_BADGE, USERS } from './session-test-kit.js';
import { noticeEnglish } from '../../support/notice-text.js';

const SEC = 1000;
const types = (events: readonly AuditEvent[]) => events.map((e) => e.type);
const dave = USERS.dave;

/** Taps the unknown badge without waiting for its sign-in (the test finishes the sign-in itself). */
async function tapUnknown(rig: ReturnType<typeof makeRig>): Promise<{ done: Promise<void> }> {
  const done = rig.tap('unknown');
  await flush();
  return { done };
}

/** Advances the clock with the user at work, so only the lifetime can end the session. */
async function workFor(rig: ReturnType<typeof makeRig>, ms: number): Promise<void> {
  for (let left = ms; left > 0; left -= 60 * SEC) {
    await rig.service.handle({ type: 'activity', source: 'renderer' });
    await rig.advance(Math.min(60 * SEC, left));
  }
}

describe('enrollment: the first tap of an unknown badge', () => {
  it('signs the clinician in, asks for a PIN, binds the badge and starts their session', async () => {
    const rig = makeRig({ enrollment: true });
    const tapping = await tapUnknown(rig);
    expect(rig.enrollment.begun).toEqual([{ purpose: 'enroll', badgeHash: fakeHash(UNKNOWN_BADGE) }]);
    const signingIn = rig.service.view();
    expect(signingIn).toMatchObject({ screen: 'no-user', enrollment: { purpose: 'enroll', step: 'sign-in' } });
    expect(noticeEnglish(signingIn.notice)).toMatch(/sign-in window to enroll this badge/);
    expect(rig.audit.events.at(-1)).toMatchObject({
      type: 'badge.unknown',
      reason: expect.stringContaining('enrollment started'),
    });

    const pendingId = await rig.enrollment.finishSignIn(dave);
    await tapping.done;
    expect(rig.service.view()).toMatchObject({
      screen: 'no-user',
      enrollment: { step: 'choose-pin', displayName: dave.displayName },
    });
    expect(rig.service.view().pinPrompt).toBeUndefined();

    await rig.service.handle({ type: 'choose-pin', pin: '1111' });
    expect(rig.service.view().enrollment?.step).toBe('choose-pin');
    expect(rig.service.view().notice).toMatchObject({ level: 'warning', id: 'tryAgain' });
    expect(noticeEnglish(rig.service.view().notice)).toContain('too easy');

    await rig.service.handle({ type: 'choose-pin', pin: '2580' });
    expect(rig.enrollment.completed.at(-1)).toEqual({ pendingId, purpose: 'enroll', pin: '2580' });
    expect(rig.screen()).toBe('active');
    expect(rig.who()).toBe(dave.displayName);
    expect(rig.service.view().enrollment).toBeUndefined();
    // Straight from the PIN pad to the session: no bare lock screen in between while the grant is made durable.
    expect(rig.views.filter((v) => v.screen !== 'active').at(-1)?.enrollment?.step).toBe('choose-pin');
    expect(rig.lifecycle.at(-1)).toEqual({ kind: 'shown', sessionId: 'session-1' });
    expect(rig.audit.events.at(-1)).toMatchObject({
      type: 'session.sign_in',
      outcome: 'success',
      actor: { userId: dave.userId, badgeHash: fakeHash(UNKNOWN_BADGE) },
      details: { method: 'enrollment (full sign-in and new PIN)' },
    });
    expect(rig.enrollment.cancelled).toEqual([]);
  });

  it('a second tap of the same badge during the sign-in opens no second sign-in', async () => {
    const rig = makeRig({ enrollment: true });
    const tapping = await tapUnknown(rig);
    await rig.tap('unknown');
    expect(rig.enrollment.begun).toHaveLength(1);
    expect(noticeEnglish(rig.service.view().notice)).toMatch(/in progress/);
    await rig.enrollment.finishSignIn(dave);
    await tapping.done;
    expect(rig.service.view().enrollment?.step).toBe('choose-pin');
  });

  it('cancel during the sign-in returns to the lock screen, and a sign-in that finishes later binds nothing', async () => {
    const rig = makeRig({ enrollment: true });
    rig.enrollment.endOnAbort = false; // the sign-in completes just as the workstation gives up on it
    const tapping = await tapUnknown(rig);
    await rig.service.handle({ type: 'enroll-cancel' });
    expect(rig.service.view()).toMatchObject({
      screen: 'no-user',
      notice: { id: 'enrollmentCancelled', params: { context: 'enroll' } },
    });
    expect(rig.service.view().enrollment).toBeUndefined();
    const late = await rig.enrollment.finishSignIn(dave);
    await tapping.done;
    expect(rig.enrollment.cancelled).toEqual([late]);
    expect(rig.screen()).toBe('no-user');
    await rig.service.handle({ type: 'choose-pin', pin: '2580' });
    expect(rig.enrollment.completed).toEqual([]);
    expect(
      rig.audit.events.some(
        (e) => e.type === 'session.sign_in' && e.outcome === 'failure' && /cancelled/.test(e.reason ?? ''),
      ),
    ).toBe(true);
  });

  it('cancel while choosing the PIN drops the signed-in enrollment in the identity layer', async () => {
    const rig = makeRig({ enrollment: true });
    const tapping = await tapUnknown(rig);
    const pendingId = await rig.enrollment.finishSignIn(dave);
    await tapping.done;
    await rig.service.handle({ type: 'enroll-cancel' });
    expect(rig.enrollment.cancelled).toEqual([pendingId]);
    expect(rig.screen()).toBe('no-user');
    expect(JSON.stringify(rig.service.view())).not.toContain(dave.displayName);
  });

  it('a refused or failed sign-in says why and leaves nothing pending', async () => {
    const rig = makeRig({ enrollment: true });
    const tapping = await tapUnknown(rig);
    await rig.enrollment.finishSignIn({
      refused: 'Sign-in failed: the identity provider cannot be reached. Check the network, then try again.',
    });
    await tapping.done;
    const view = rig.service.view();
    expect(view.enrollment).toBeUndefined();
    expect(view.notice).toMatchObject({ level: 'error' });
    expect(noticeEnglish(view.notice)).toContain('identity provider cannot be reached');
    expect(noticeEnglish(view.notice)).toContain('Nothing was saved');
    expect(rig.audit.events.at(-1)).toMatchObject({ type: 'session.sign_in', outcome: 'failure' });
  });

  it('a badge enrolled for someone else meanwhile is refused with their name, and no session starts', async () => {
    const rig = makeRig({ enrollment: true });
    const tapping = await tapUnknown(rig);
    await rig.enrollment.finishSignIn(dave);
    await tapping.done;
    rig.enrollment.badgeTakenBy = USERS.carol.displayName;
    await rig.service.handle({ type: 'choose-pin', pin: '2580' });
    const view = rig.service.view();
    expect(view.screen).toBe('no-user');
    expect(view.enrollment).toBeUndefined();
    expect(noticeEnglish(view.notice)).toBe(
      `Enrollment did not complete: This badge is already enrolled for ${USERS.carol.displayName}; ask IT to unenroll it first.`,
    );
    expect(rig.lifecycle).toEqual([]);
  });

  it("another user's tap during enrollment drops it and never shows the enrolling person's name to them", async () => {
    const rig = makeRig({ enrollment: true });
    const tapping = await tapUnknown(rig);
    const pendingId = await rig.enrollment.finishSignIn(dave);
    await tapping.done;
    await rig.tap('bob');
    expect(rig.enrollment.cancelled).toEqual([pendingId]);
    expect(rig.who()).toBe(USERS.bob.displayName);
    expect(JSON.stringify(rig.service.view())).not.toContain(dave.displayName);
    await rig.service.handle({ type: 'choose-pin', pin: '2580' });
    expect(rig.enrollment.completed).toEqual([]);
    expect(rig.who()).toBe(USERS.bob.displayName);
  });

  it('is time-limited: an enrollment left open expires with a message, and its late sign-in is dropped', async () => {
    const rig = makeRig({ enrollment: true });
    rig.enrollment.endOnAbort = false; // the sign-in completes just as the workstation gives up on it
    const tapping = await tapUnknown(rig);
    await rig.advance(rig.enrollment.ttlMs - 1);
    expect(rig.service.view().enrollment?.step).toBe('sign-in');
    await rig.advance(1);
    expect(rig.service.view().enrollment).toBeUndefined();
    expect(noticeEnglish(rig.service.view().notice)).toMatch(/took too long.*nothing was saved/);
    const late = await rig.enrollment.finishSignIn(dave);
    await tapping.done;
    expect(rig.enrollment.cancelled).toEqual([late]);
    expect(rig.screen()).toBe('no-user');
  });

  it('the PIN step has its own deadline after the sign-in', async () => {
    const rig = makeRig({ enrollment: true });
    const tapping = await tapUnknown(rig);
    await rig.advance(30 * SEC);
    const pendingId = await rig.enrollment.finishSignIn(dave);
    await tapping.done;
    await rig.advance(rig.enrollment.ttlMs - 1);
    expect(rig.service.view().enrollment?.step).toBe('choose-pin');
    await rig.advance(1);
    expect(rig.service.view().enrollment).toBeUndefined();
    expect(rig.enrollment.cancelled).toEqual([pendingId]);
  });

  it("an unknown badge tapped during someone's session locks that session before the sign-in opens", async () => {
    const rig = makeRig({ enrollment: true });
    await rig.tap('alice');
    const tapping = await tapUnknown(rig);
    expect(rig.lifecycle.at(-1)).toEqual({ kind: 'hidden', sessionId: 'session-1' });
    expect(rig.service.view()).toMatchObject({ screen: 'locked', enrollment: { step: 'sign-in' } });
    await rig.enrollment.finishSignIn(dave);
    await tapping.done;
    await rig.service.handle({ type: 'choose-pin', pin: '2580' });
    expect(rig.who()).toBe(dave.displayName);
    expect(rig.service.view().suspendedCount).toBe(1);
    expect(types(rig.audit.events)).toContain('session.suspended');
  });

  it('without enrollment wired, an unknown badge is refused with a message as before', async () => {
    const rig = makeRig();
    await rig.tap('unknown');
    expect(noticeEnglish(rig.service.view().notice)).toMatch(/not enrolled on CareShell/);
    expect(rig.service.view().enrollment).toBeUndefined();
  });
});

describe('PIN errors lead to a PIN reset', () => {
  it('a PIN that cannot be used (not set, damaged record) starts a full sign-in and a new PIN, then unlocks', async () => {
    const rig = makeRig({ enrollment: true, policy: { reverifyInGrace: 'badge+pin' } });
    await rig.tap('alice');
    await rig.service.handle({ type: 'lock-now' });
    rig.pins.unusable.add(USERS.alice.userId);
    await rig.tap('alice');
    const submitting = rig.pin('1111');
    await flush();
    expect(rig.enrollment.begun).toEqual([{ purpose: 'pin-reset', userId: USERS.alice.userId }]);
    expect(rig.service.view()).toMatchObject({
      screen: 'locked',
      enrollment: { purpose: 'pin-reset', step: 'sign-in', displayName: USERS.alice.displayName },
    });
    expect(noticeEnglish(rig.service.view().notice)).toMatch(/your PIN cannot be used.*choose a new PIN/);
    const pendingId = await rig.enrollment.finishSignIn(USERS.alice);
    await submitting;
    rig.pins.unusable.delete(USERS.alice.userId);
    await rig.service.handle({ type: 'choose-pin', pin: '2580' });
    expect(rig.enrollment.completed).toEqual([{ pendingId, purpose: 'pin-reset', pin: '2580' }]);
    expect(rig.screen()).toBe('active');
    expect(rig.lifecycle.at(-1)).toEqual({ kind: 'shown', sessionId: 'session-1' });
    expect(rig.audit.events.at(-1)).toMatchObject({
      type: 'session.unlock',
      details: { method: 'PIN reset (full sign-in and new PIN)' },
    });
  });

  it('"Forgot PIN?" at the PIN pad resets the PIN (full sign-in as the badge holder, then a new PIN) and resumes the session', async () => {
    const rig = makeRig({ enrollment: true, policy: { reverifyInGrace: 'badge+pin' } });
    await rig.tap('alice');
    await rig.service.handle({ type: 'lock-now' });
    await rig.tap('alice');
    expect(rig.service.view().pinPrompt).toEqual({ displayName: 'Alice Nurse', canReset: true });
    const forgetting = rig.service.handle({ type: 'pin-forgot' });
    await flush();
    expect(rig.enrollment.begun).toEqual([{ purpose: 'pin-reset', userId: USERS.alice.userId }]);
    expect(noticeEnglish(rig.service.view().notice)).toBe(
      `${USERS.alice.displayName}: to reset your PIN, sign in with your hospital account in the sign-in window, then choose a new PIN.`,
    );
    expect(rig.audit.events.at(-1)).toMatchObject({
      type: 'session.reverify_required',
      reason: 'PIN reset required: PIN forgotten',
    });
    await rig.enrollment.finishSignIn(USERS.alice);
    await forgetting;
    await rig.service.handle({ type: 'choose-pin', pin: '2580' });
    expect(rig.screen()).toBe('active');
    expect(rig.lifecycle.at(-1)).toEqual({ kind: 'shown', sessionId: 'session-1' });
  });

  it('"Forgot PIN?" where this workstation cannot reset PINs says to ask IT, and keeps the prompt', async () => {
    const rig = makeRig({ policy: { reverifyInGrace: 'badge+pin' } });
    await rig.tap('alice');
    await rig.service.handle({ type: 'lock-now' });
    await rig.tap('alice');
    expect(rig.service.view().pinPrompt).toEqual({ displayName: 'Alice Nurse', canReset: false });
    await rig.service.handle({ type: 'pin-forgot' });
    expect(rig.service.view()).toMatchObject({
      pinPrompt: {},
      notice: { id: 'pinResetNotHere' },
    });
    expect(noticeEnglish(rig.service.view().notice)).toMatch(/Ask IT to reset it/);
  });

  it('a PIN store that cannot be read gives a clear message and keeps the prompt', async () => {
    const rig = makeRig({ enrollment: true, policy: { signIn: 'badge+pin' } });
    await rig.tap('alice');
    rig.pins.broken = true;
    await rig.pin('1111');
    const view = rig.service.view();
    expect(view.pinPrompt).toBeDefined();
    expect(noticeEnglish(view.notice)).toBe(
      'Your PIN could not be checked (PIN store unreadable). Try again, or call IT.',
    );
    rig.pins.broken = false;
    await rig.pin('1111');
    expect(rig.screen()).toBe('active');
  });
});

describe('tokens refused for a shown session', () => {
  it('asks for a full sign-in without hiding the session; success renews the shift lifetime', async () => {
    const rig = makeRig({ policy: { absoluteLifetimeHours: 1 } });
    await rig.tap('alice');
    await workFor(rig, 30 * 60 * SEC);
    await rig.service.handle({
      type: 'tokens-refused',
      userId: USERS.alice.userId,
      sessionId: 'session-1',
      message: 'refresh token revoked',
    });
    expect(rig.auth.requests.at(-1)).toMatchObject({
      expectedUserId: USERS.alice.userId,
      reason: expect.stringContaining('refresh token revoked'),
    });
    expect(rig.screen()).toBe('active');
    expect(rig.audit.events.at(-1)).toMatchObject({
      type: 'session.sign_in',
      outcome: 'success',
      reason: 'identity provider sign-in renewed',
    });
    await workFor(rig, 45 * 60 * SEC); // past the original lifetime, within the renewed one
    expect(rig.screen()).toBe('active');
    await workFor(rig, 15 * 60 * SEC);
    expect(rig.screen()).toBe('no-user');
  });

  it('a failed sign-in keeps the session, and the next unlock asks for the password', async () => {
    const rig = makeRig();
    await rig.tap('alice');
    rig.auth.nextUser = USERS.bob; // the wrong person signs in at the provider
    await rig.service.handle({
      type: 'tokens-refused',
      userId: USERS.alice.userId,
      sessionId: 'session-1',
      message: 'refresh token expired',
    });
    expect(rig.screen()).toBe('active');
    expect(noticeEnglish(rig.service.view().notice)).toMatch(/Sign-in did not succeed.*when you next unlock/);
    await rig.service.handle({ type: 'lock-now' });
    rig.auth.nextUser = undefined;
    await rig.tap('alice');
    expect(rig.auth.requests).toHaveLength(2);
    expect(rig.audit.events.at(-1)).toMatchObject({ type: 'session.unlock', details: { method: 'full sign-in' } });
  });

  it('for a session no longer on screen, the next unlock of that user needs the password', async () => {
    const rig = makeRig();
    await rig.tap('alice');
    await rig.service.handle({ type: 'lock-now' });
    await rig.service.handle({
      type: 'tokens-refused',
      userId: USERS.alice.userId,
      sessionId: 'session-1',
      message: 'refresh token expired',
    });
    expect(rig.auth.requests).toHaveLength(0);
    await rig.tap('alice');
    expect(rig.auth.requests).toEqual([expect.objectContaining({ expectedUserId: USERS.alice.userId })]);
  });
});
