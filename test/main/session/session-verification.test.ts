import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../main/audit/audit-event.js';
import { flush, makeRig, USERS } from './session-test-kit.js';
import { noticeEnglish } from '../../support/notice-text.js';

/** Verification: PIN lockout, refused tokens, sign-ins nobody waits for, signing in without a badge, stale PIN answers. */

const types = (events: readonly AuditEvent[]) => events.map((e) => e.type);

describe('rule: PIN lockout after N failures, cleared only by full sign-in', () => {
  it('shows attempts left, locks out, goes straight to a full sign-in, and only that clears it', async () => {
    const rig = makeRig({ policy: { reverifyInGrace: 'badge+pin' } });
    await rig.tap('alice');
    const id = rig.lifecycle[0]!.sessionId;
    await rig.service.handle({ type: 'lock-now' });
    await rig.tap('alice');
    await rig.pin('0000');
    expect(rig.service.view().pinPrompt).toEqual({ attemptsLeft: 2, displayName: 'Alice Nurse', canReset: false });
    await rig.pin('0000');
    rig.auth.nextUser = { ...USERS.bob }; // the sign-in window is left to someone else: it must not open Alice's session
    await rig.pin('0000');
    expect(types(rig.audit.events).filter((t) => t.startsWith('pin.'))).toEqual([
      'pin.failure',
      'pin.failure',
      'pin.lockout',
    ]);
    expect(rig.auth.requests).toEqual([
      { reason: expect.stringMatching(/PIN is locked/), expectedUserId: USERS.alice.userId },
    ]);
    expect(rig.screen()).toBe('locked');
    expect(noticeEnglish(rig.service.view().notice)).toMatch(/Sign-in did not succeed/);
    // A PIN, even the right one, no longer opens the session; a badge tap asks the identity provider again.
    await rig.pin('1111');
    expect(rig.screen()).toBe('locked');
    rig.auth.nextUser = undefined; // this time Alice herself signs in
    await rig.tap('alice');
    expect(rig.auth.requests).toHaveLength(2);
    expect(rig.screen()).toBe('active');
    expect(rig.lifecycle.at(-1)).toEqual({ kind: 'shown', sessionId: id });
    expect(rig.pins.failures.get(USERS.alice.userId)).toBe(0);
  });

  it('a PIN already locked (after a restart) goes to a full sign-in, recorded as an attempt while locked', async () => {
    const rig = makeRig({ policy: { reverifyInGrace: 'badge+pin' } });
    await rig.tap('alice');
    await rig.service.handle({ type: 'lock-now' });
    rig.pins.failures.set(USERS.alice.userId, 3);
    rig.auth.nextUser = USERS.bob; // someone else signs in at the identity provider
    await rig.tap('alice');
    await rig.pin('1111');
    expect(rig.audit.events.find((e) => e.type.startsWith('pin.'))).toMatchObject({
      type: 'pin.failure',
      reason: expect.stringMatching(/while locked/),
    });
    expect(rig.screen()).toBe('locked');
    expect(rig.audit.events.at(-1)).toMatchObject({ type: 'session.sign_in', outcome: 'failure' });
  });

  it("a PIN handled until 'answered' resolves with the lockout; the sign-in it opened still reaches the session", async () => {
    const rig = makeRig({ policy: { reverifyInGrace: 'badge+pin' } });
    await rig.tap('alice');
    await rig.service.handle({ type: 'lock-now' });
    await rig.tap('alice');
    for (let i = 0; i < 3; i++) await rig.service.handle({ type: 'pin', pin: '0000' }, 'answered');
    expect(rig.audit.events.map((e) => e.type)).toContain('pin.lockout');
    expect(rig.auth.requests).toEqual([
      { reason: expect.stringMatching(/PIN is locked/), expectedUserId: USERS.alice.userId },
    ]);
    // Alice signs in at the identity provider: the sign-in nobody awaited still opens her session.
    await flush();
    expect(rig.screen()).toBe('active');
    expect(rig.who()).toBe(USERS.alice.displayName);
  });

  it("the identity layer's backoff is shown, and a PIN entered during it changes nothing", async () => {
    const rig = makeRig({ policy: { reverifyInGrace: 'pin' } });
    rig.pins.backoffMs = 4_000;
    await rig.tap('alice');
    await rig.service.handle({ type: 'lock-now' });
    await rig.pin('0000');
    expect(noticeEnglish(rig.service.view().notice)).toBe(
      'Wrong PIN. 2 attempts left before your PIN is locked. Wait 4 seconds before trying again.',
    );
  });
});

describe('rule: a refused refresh token means a full sign-in', () => {
  it('closes a PIN prompt already open for that user, so the PIN cannot satisfy the requirement', async () => {
    const rig = makeRig({ policy: { reverifyInGrace: 'badge+pin' } });
    await rig.tap('alice');
    const a = rig.lifecycle[0]!.sessionId;
    await rig.service.handle({ type: 'lock-now' });
    await rig.tap('alice');
    expect(rig.service.view().pinPrompt).toEqual({ displayName: 'Alice Nurse', canReset: false });
    await rig.service.handle({
      type: 'tokens-refused',
      userId: USERS.alice.userId,
      sessionId: a,
      message: 'refresh token revoked',
    });
    expect(rig.service.view().pinPrompt).toBeUndefined();
    await rig.pin('1111');
    expect(rig.screen()).toBe('locked');
    await rig.tap('alice');
    expect(rig.auth.requests).toEqual([{ reason: expect.any(String), expectedUserId: USERS.alice.userId }]);
  });
});

describe('rule: a sign-in nobody waits for any more is stopped (its window closes)', () => {
  it('another badge, or the workstation being put to sleep, aborts a full sign-in in progress', async () => {
    const rig = makeRig({ policy: { signIn: 'full-sign-in' } });
    rig.auth.hold = true;
    const first = rig.tap('alice');
    await flush();
    expect(rig.auth.signals[0]!.aborted).toBe(false);
    rig.auth.hold = false;
    await rig.tap('bob'); // Bob's own sign-in replaces Alice's
    await first;
    expect(rig.auth.signals[0]!.aborted).toBe(true);
    expect(rig.auth.signals[1]!.aborted).toBe(false);
    expect(rig.who()).toBe('Bob Doctor');
    rig.auth.hold = true;
    await rig.service.handle({ type: 'lock-now' });
    const again = rig.tap('carol');
    await flush();
    await rig.service.handle({ type: 'os', event: 'suspend' });
    await again;
    expect(rig.auth.signals[2]!.aborted).toBe(true);
    expect(rig.screen()).toBe('locked');
  });

  it('Cancel on an enrollment, and a lock during a step-up, abort what they were waiting for', async () => {
    const rig = makeRig({ enrollment: true });
    const tapping = rig.tap('unknown');
    await flush();
    await rig.service.handle({ type: 'enroll-cancel' });
    expect(rig.enrollment.signals[0]!.aborted).toBe(true);
    await tapping;
    await rig.tap('alice');
    rig.stepUp.hold = true;
    const stepping = rig.service.handle({ type: 'step-up-request', action: 'export' });
    await flush();
    expect(rig.stepUp.signals[0]!.aborted).toBe(false);
    await rig.service.handle({ type: 'lock-now' });
    expect(rig.stepUp.signals[0]!.aborted).toBe(true);
    rig.stepUp.release();
    await stepping;
  });
});

describe('rule: signing in without a badge, where policy allows it', () => {
  it('"when-no-reader": offered only while no reader works; the password sign-in starts a session, or resumes the one kept', async () => {
    const rig = makeRig({ policy: { withoutBadge: 'when-no-reader' } });
    expect(rig.service.view().withoutBadge).toBe('when-no-reader');
    await rig.service.handle({ type: 'password-sign-in', readerReady: true });
    expect(rig.auth.requests).toEqual([]);
    expect(noticeEnglish(rig.service.view().notice)).toBe('Tap your badge to sign in.');
    rig.auth.nextUser = USERS.alice;
    await rig.service.handle({ type: 'password-sign-in', readerReady: false });
    expect(rig.auth.requests).toEqual([{ reason: 'sign-in with password, no badge (no badge reader working)' }]);
    expect(rig.who()).toBe('Alice Nurse');
    const id = rig.lifecycle.at(-1)!.sessionId;
    expect(rig.audit.events.at(-1)).toMatchObject({
      type: 'session.sign_in',
      details: { method: 'full sign-in (no badge)' },
    });
    await rig.service.handle({ type: 'lock-now' });
    await rig.service.handle({ type: 'password-sign-in', readerReady: false });
    expect(rig.lifecycle.at(-1)).toEqual({ kind: 'shown', sessionId: id });
    expect(rig.audit.events.at(-1)).toMatchObject({
      type: 'session.unlock',
      details: { method: 'full sign-in (no badge)' },
    });
  });

  it('the lock screen shows it waits for the sign-in, and Cancel closes the sign-in window and says so', async () => {
    const rig = makeRig({ policy: { withoutBadge: 'always' } });
    rig.auth.hold = true;
    const signingIn = rig.service.handle({ type: 'password-sign-in', readerReady: true });
    await flush();
    expect(rig.service.view()).toMatchObject({ screen: 'no-user', signingIn: true });
    await rig.service.handle({ type: 'sign-in-cancel' });
    expect(rig.auth.signals[0]!.aborted).toBe(true);
    await signingIn;
    expect(rig.service.view().signingIn).toBeUndefined();
    expect(noticeEnglish(rig.service.view().notice)).toBe('Cancelled.');
  });

  it('"never" refuses it even with no reader; "always" offers it with readers working', async () => {
    const never = makeRig({ policy: { withoutBadge: 'never' } });
    await never.service.handle({ type: 'password-sign-in', readerReady: false });
    expect(never.auth.requests).toEqual([]);
    const always = makeRig({ policy: { withoutBadge: 'always' } });
    always.auth.nextUser = USERS.bob;
    await always.service.handle({ type: 'password-sign-in', readerReady: true });
    expect(always.who()).toBe('Bob Doctor');
  });

  it('a failed password sign-in leaves the lock screen as it was, with the reason', async () => {
    const rig = makeRig();
    rig.auth.nextUser = undefined;
    await rig.service.handle({ type: 'password-sign-in', readerReady: false });
    expect(rig.screen()).toBe('no-user');
    expect(noticeEnglish(rig.service.view().notice)).toMatch(
      /^Sign-in did not succeed: the identity provider refused the sign-in\./,
    );
  });
});

describe('rule: a PIN answer applies only to the prompt it was asked for', () => {
  it("a slow PIN check for A that returns after B took over never opens B's session", async () => {
    const rig = makeRig({ policy: { reverifyInGrace: 'pin' } });
    await rig.tap('alice');
    await rig.service.handle({ type: 'lock-now' });
    rig.pins.hold = true;
    const alicePin = rig.pin('1111'); // checked against Alice's standing prompt, slowly
    await flush();
    await rig.tap('bob'); // Bob signs in meanwhile, then locks: his own standing prompt appears
    await rig.service.handle({ type: 'lock-now' });
    expect(rig.service.view()).toMatchObject({ screen: 'locked', user: { displayName: 'Bob Doctor' }, pinPrompt: {} });
    rig.pins.release();
    await alicePin;
    expect(rig.screen()).toBe('locked');
    expect(rig.service.view().user?.displayName).toBe('Bob Doctor');
    expect(rig.audit.events.filter((e) => e.type === 'session.unlock')).toEqual([]);
  });
});
