import { describe, expect, it } from 'vitest';
import type { AuditEvent, AuditSink } from '../../../main/audit/audit-event.js';
import { BADGES, FakeStepUp, FlakyAuditSink, flush, makeRig, testPolicy, USERS } from './session-test-kit.js';

const SEC = 1000;
const MIN = 60 * SEC;
const types = (events: readonly AuditEvent[]) => events.map((e) => e.type);

describe('rule: activity cancels the idle warning', () => {
  it('renderer activity during the countdown returns to active and restarts the idle window', async () => {
    const rig = makeRig({ policy: { idleTimeoutSeconds: 120, warningSeconds: 20 } });
    await rig.tap('alice');
    await rig.advance(100 * SEC);
    expect(rig.screen()).toBe('idle-warning');
    await rig.service.handle({ type: 'activity', source: 'renderer' });
    expect(rig.screen()).toBe('active');
    expect(rig.audit.events.at(-1)).toMatchObject({
      type: 'session.activity',
      reason: 'idle warning cancelled by activity',
    });
    await rig.advance(99 * SEC);
    expect(rig.screen()).toBe('active');
    await rig.advance(1 * SEC);
    expect(rig.screen()).toBe('idle-warning');
  });

  it('typing in another application (OS idle time) counts, and is asked only when the deadline fires', async () => {
    let osIdle = 0;
    let asked = 0;
    const rig = makeRig({
      policy: { idleTimeoutSeconds: 120, warningSeconds: 20 },
      osIdleMs: () => {
        asked++;
        return osIdle;
      },
    });
    await rig.tap('alice');
    osIdle = 5 * SEC; // the user typed in another app 5 s before the deadline
    await rig.advance(100 * SEC);
    expect(rig.screen()).toBe('active');
    expect(asked).toBe(1);
    osIdle = 200 * SEC; // now truly idle: the re-armed deadline is 95 s after that keystroke
    await rig.advance(95 * SEC - 1);
    expect(rig.screen()).toBe('active');
    expect(asked).toBe(1);
    await rig.advance(1);
    expect(rig.screen()).toBe('idle-warning');
  });

  it('keeps one timer however much activity arrives (lazy re-arm, no churn)', async () => {
    const rig = makeRig({ policy: { idleTimeoutSeconds: 300, warningSeconds: 30 } });
    await rig.tap('alice');
    for (let i = 0; i < 120; i++) {
      await rig.service.handle({ type: 'activity', source: 'renderer' });
      rig.clock.advance(SEC);
      expect(rig.clock.pendingTimers()).toBe(1);
    }
    await flush();
    expect(rig.screen()).toBe('active');
    expect(rig.views.filter((v) => v.screen === 'active')).toHaveLength(1); // activity publishes no views
  });
});

describe('rule: lock hides at once and keeps the session until grace ends', () => {
  it('publishes the locked view before the lock is audited (removals do not wait)', async () => {
    let release: () => void = () => undefined;
    const events: AuditEvent[] = [];
    const slow: AuditSink = {
      append: (e) => {
        events.push(e);
        return e.type === 'session.lock' ? new Promise((r) => (release = r)) : Promise.resolve();
      },
    };
    const rig = makeRig({ audit: slow });
    await rig.tap('alice');
    const handled = rig.service.handle({ type: 'lock-now' });
    expect(rig.screen()).toBe('locked'); // synchronously, before the journal answered
    expect(rig.lifecycle.at(-1)?.kind).toBe('hidden');
    await flush();
    expect(types(events)).toEqual(['session.sign_in', 'session.lock']);
    release();
    await handled;
  });

  it('grace expiry terminates the session and tells the shell to clear its stored state', async () => {
    const rig = makeRig({ policy: { graceMinutes: 15 } });
    await rig.tap('alice');
    const id = rig.lifecycle[0]!.sessionId;
    await rig.service.handle({ type: 'lock-now' });
    await rig.advance(15 * MIN - 1);
    expect(rig.screen()).toBe('locked');
    await rig.advance(1);
    expect(rig.screen()).toBe('no-user');
    expect(rig.lifecycle.at(-1)).toEqual({ kind: 'terminated', sessionId: id });
    expect(rig.audit.events.at(-1)).toMatchObject({ type: 'session.terminated', reason: 'grace expired' });
    await rig.tap('alice');
    expect(rig.lifecycle.at(-1)?.sessionId).not.toBe(id); // a new session, not the old one
  });
});

describe('rule: inside grace the same user resumes exactly where they were', () => {
  it('badge+pin: the owner taps, is asked for a PIN, and resumes the same session', async () => {
    const rig = makeRig({ policy: { reverifyInGrace: 'badge+pin' } });
    await rig.tap('alice');
    const id = rig.lifecycle[0]!.sessionId;
    await rig.service.handle({ type: 'lock-now' });
    expect(rig.service.view().reverify).toBe('badge+pin');
    await rig.pin('1111');
    expect(rig.service.view().notice?.text).toMatch(/tap your badge first/);
    await rig.tap('alice');
    expect(rig.service.view()).toMatchObject({ screen: 'locked', pinPrompt: {} });
    await rig.pin('1111');
    expect(rig.screen()).toBe('active');
    expect(rig.lifecycle.at(-1)).toEqual({ kind: 'shown', sessionId: id });
    expect(rig.audit.events.at(-1)).toMatchObject({ type: 'session.unlock', details: { method: 'badge+pin' } });
  });

  it('pin: the owner gets the PIN pad without tapping', async () => {
    const rig = makeRig({ policy: { reverifyInGrace: 'pin' } });
    await rig.tap('alice');
    await rig.service.handle({ type: 'lock-now' });
    expect(rig.service.view().pinPrompt).toEqual({ canReset: false });
    await rig.pin('9999');
    expect(rig.service.view().pinPrompt).toEqual({ attemptsLeft: 2, canReset: false });
    expect(rig.service.view().notice?.text).toMatch(/Wrong PIN. 2 attempts left/);
    await rig.pin('1111');
    expect(rig.screen()).toBe('active');
  });
});

describe('rule: the absolute lifetime forces a full sign-in', () => {
  it('ends the session at the lifetime and asks the identity provider on the next tap', async () => {
    const rig = makeRig({ policy: { absoluteLifetimeHours: 8, idleTimeoutSeconds: 3600, warningSeconds: 0 } });
    await rig.tap('alice');
    for (let h = 0; h < 8 * 60; h++) {
      await rig.service.handle({ type: 'activity', source: 'renderer' });
      await rig.advance(MIN - 1);
    }
    expect(rig.screen()).toBe('active');
    await rig.advance(8 * 60); // exactly 8 h after sign-in
    expect(rig.screen()).toBe('no-user');
    expect(rig.lifecycle.at(-1)?.kind).toBe('terminated');
    expect(rig.service.view().notice?.text).toMatch(/sign-in has expired/);
    await rig.tap('alice');
    expect(rig.auth.requests).toEqual([
      { reason: expect.stringMatching(/expired/), expectedUserId: USERS.alice.userId },
    ]);
    expect(rig.screen()).toBe('active');
    expect(rig.service.view().lifetimeMsLeft).toBe(8 * 60 * MIN);
  });

  it('a locked session also ends at the lifetime, even inside grace', async () => {
    const rig = makeRig({
      policy: { absoluteLifetimeHours: 1, graceMinutes: 30, idleTimeoutSeconds: 3600, warningSeconds: 0 },
    });
    await rig.tap('alice');
    await rig.advance(50 * MIN);
    await rig.service.handle({ type: 'lock-now' });
    await rig.advance(10 * MIN);
    expect(rig.screen()).toBe('no-user');
    expect(rig.audit.events.at(-1)?.reason).toMatch(/absolute lifetime/);
  });
});

describe('rule: fast user switching never shows one user to another', () => {
  it('A -> B -> A: B suspends A, A resumes its own session, B is kept', async () => {
    const rig = makeRig();
    await rig.tap('alice');
    const a = rig.lifecycle[0]!.sessionId;
    await rig.tap('bob');
    expect(rig.who()).toBe('Bob Doctor');
    expect(rig.service.view().suspendedCount).toBe(1);
    const b = rig.lifecycle.at(-1)!.sessionId;
    expect(b).not.toBe(a);
    expect(rig.lifecycle.slice(1)).toEqual([
      { kind: 'hidden', sessionId: a },
      { kind: 'shown', sessionId: b },
    ]);
    await rig.tap('alice');
    expect(rig.who()).toBe('Alice Nurse');
    expect(rig.lifecycle.at(-1)).toEqual({ kind: 'shown', sessionId: a });
    expect(rig.service.view().suspendedCount).toBe(1);
    expect(types(rig.audit.events)).toEqual([
      'session.sign_in',
      'session.lock',
      'session.sign_in',
      'session.suspended',
      'session.user_switch',
      'session.lock',
      'session.resumed',
      'session.suspended',
      'session.user_switch',
    ]);
  });

  it('a suspended session is resumed only with its owner verification (badge+pin)', async () => {
    const rig = makeRig({ policy: { reverifyInGrace: 'badge+pin' } });
    await rig.tap('alice');
    await rig.tap('bob');
    await rig.tap('alice');
    expect(rig.service.view()).toMatchObject({ screen: 'locked', user: { displayName: 'Bob Doctor' }, pinPrompt: {} });
    await rig.pin('2222'); // Bob's PIN does not open Alice's session
    expect(rig.screen()).toBe('locked');
    await rig.pin('1111');
    expect(rig.who()).toBe('Alice Nurse');
  });

  it('keeps at most N suspended sessions and ends the oldest', async () => {
    const rig = makeRig({ policy: { switching: { maxSuspended: 2 } } });
    await rig.tap('alice');
    const a = rig.lifecycle[0]!.sessionId;
    await rig.tap('bob');
    await rig.tap('carol');
    await rig.tap('dave');
    expect(rig.service.view().suspendedCount).toBe(2);
    expect(rig.lifecycle).toContainEqual({ kind: 'terminated', sessionId: a });
  });

  it('resuming a suspended session when the list is full never ends that same session', async () => {
    const rig = makeRig({ policy: { switching: { maxSuspended: 1 } } });
    await rig.tap('alice');
    const a = rig.lifecycle[0]!.sessionId;
    await rig.tap('bob'); // Alice suspended: the list is full
    await rig.service.handle({ type: 'lock-now' });
    await rig.tap('alice'); // Alice resumes; Bob takes her place in the list
    expect(rig.lifecycle.at(-1)).toEqual({ kind: 'shown', sessionId: a });
    expect(rig.lifecycle.filter((e) => e.kind === 'terminated')).toEqual([]);
    expect(rig.service.view().suspendedCount).toBe(1);
  });

  it('maxSuspended 0 with "refuse" ends the previous session on a switch instead of refusing everyone', async () => {
    const rig = makeRig({ policy: { switching: { maxSuspended: 0, whenFull: 'refuse' } } });
    await rig.tap('alice');
    const a = rig.lifecycle[0]!.sessionId;
    await rig.tap('bob');
    expect(rig.who()).toBe('Bob Doctor');
    expect(rig.lifecycle).toContainEqual({ kind: 'terminated', sessionId: a });
  });

  it('policy "refuse" turns the next user away when the limit is reached', async () => {
    const rig = makeRig({ policy: { switching: { maxSuspended: 1, whenFull: 'refuse' } } });
    await rig.tap('alice');
    await rig.tap('bob');
    await rig.tap('carol');
    expect(rig.who()).toBe('Bob Doctor');
    expect(rig.screen()).toBe('active');
    expect(rig.audit.events.at(-1)?.type).toBe('badge.rejected');
  });

  it('policy "end" ends the previous session instead of suspending it', async () => {
    const rig = makeRig({ policy: { switching: { previousSession: 'end' } } });
    await rig.tap('alice');
    const a = rig.lifecycle[0]!.sessionId;
    await rig.tap('bob');
    expect(rig.service.view().suspendedCount).toBe(0);
    expect(rig.lifecycle).toContainEqual({ kind: 'terminated', sessionId: a });
  });

  it('with otherUser "lock" a passer-by tap only locks; a second tap signs them in', async () => {
    const rig = makeRig({ policy: { tapOut: { otherUser: 'lock' } } });
    await rig.tap('alice');
    await rig.tap('bob');
    expect(rig.service.view()).toMatchObject({ screen: 'locked', user: { displayName: 'Alice Nurse' } });
    await rig.tap('bob');
    expect(rig.who()).toBe('Bob Doctor');
  });

  it("while B enters a PIN, A stays locked; B cancelling returns to A's lock screen", async () => {
    const rig = makeRig({ policy: { signIn: 'badge+pin' } });
    await rig.tap('alice');
    await rig.pin('1111');
    await rig.tap('bob');
    expect(rig.service.view()).toMatchObject({
      screen: 'locked',
      pinPrompt: {},
      notice: { text: 'Bob Doctor: enter your PIN.' },
    });
    await rig.service.handle({ type: 'pin-cancel' });
    expect(rig.service.view().pinPrompt).toBeUndefined();
    expect(rig.service.view().user?.displayName).toBe('Alice Nurse');
  });
});

describe('rule: tap-out', () => {
  it('same-user tap locks, except within N seconds of unlocking (double tap)', async () => {
    const rig = makeRig({ policy: { tapOut: { sameUser: 'lock', ignoreWithinSeconds: 3 } } });
    await rig.tap('alice');
    await rig.advance(2 * SEC);
    await rig.tap('alice');
    expect(rig.screen()).toBe('active');
    expect(rig.service.view().notice?.text).toMatch(/Tap ignored/);
    await rig.advance(1 * SEC);
    await rig.tap('alice');
    expect(rig.screen()).toBe('locked');
    expect(rig.audit.events.at(-1)).toMatchObject({ type: 'session.lock', reason: 'tap-out' });
  });

  it('"sign-out" ends the session; "ignore" keeps it', async () => {
    const out = makeRig({ policy: { tapOut: { sameUser: 'sign-out', ignoreWithinSeconds: 0 } } });
    await out.tap('alice');
    await out.tap('alice');
    expect(out.screen()).toBe('no-user');
    expect(out.audit.events.at(-1)?.type).toBe('session.sign_out');
    const ignore = makeRig({ policy: { tapOut: { sameUser: 'ignore', ignoreWithinSeconds: 0 } } });
    await ignore.tap('alice');
    await ignore.tap('alice');
    expect(ignore.screen()).toBe('active');
  });
});

describe('rule: walk-away signals lock at once', () => {
  for (const event of ['suspend', 'resume', 'lock-screen', 'display-off', 'lid-close'] as const) {
    it(`os ${event} locks`, async () => {
      const rig = makeRig();
      await rig.tap('alice');
      await rig.service.handle({ type: 'os', event });
      expect(rig.screen()).toBe('locked');
      expect(rig.audit.events.at(-1)?.reason).toBe(`operating system ${event}`);
    });
  }
  it("the signed-in user's badge leaving a presence reader locks; another card leaving changes nothing", async () => {
    const rig = makeRig();
    await rig.tap('alice');
    await rig.service.handle({ type: 'badge-removed', badgeId: BADGES.bob, readerId: 'presence-1' });
    expect(rig.screen()).toBe('active');
    await rig.service.handle({ type: 'badge-removed', badgeId: BADGES.alice, readerId: 'presence-1' });
    expect(rig.screen()).toBe('locked');
    expect(rig.audit.events.at(-1)).toMatchObject({
      type: 'session.lock',
      reason: 'badge removed from presence reader presence-1',
    });
  });

  it('lifting the badge asked for a PIN closes that prompt (walked away); lifting another card does not', async () => {
    const rig = makeRig({ policy: { reverifyInGrace: 'badge+pin' } });
    await rig.tap('alice');
    await rig.service.handle({ type: 'lock-now' });
    await rig.tap('alice');
    await rig.service.handle({ type: 'badge-removed', badgeId: BADGES.bob, readerId: 'presence-1' });
    expect(rig.service.view().pinPrompt).toBeDefined();
    await rig.service.handle({ type: 'badge-removed', badgeId: BADGES.alice, readerId: 'presence-1' });
    expect(rig.service.view().pinPrompt).toBeUndefined();
  });
});

describe('rule: time asleep counts (the monotonic clock stops during sleep)', () => {
  it('a session locked by suspend, asleep longer than grace, has ended when the machine wakes', async () => {
    const rig = makeRig({ policy: { graceMinutes: 20 } });
    await rig.tap('alice');
    const id = rig.lifecycle[0]!.sessionId;
    await rig.service.handle({ type: 'os', event: 'suspend' });
    rig.clock.jumpWallClock(2 * 60 * MIN); // two hours asleep: the wall clock moved, the monotonic one did not
    await rig.service.handle({ type: 'os', event: 'resume' });
    expect(rig.screen()).toBe('no-user');
    expect(rig.lifecycle).toContainEqual({ kind: 'terminated', sessionId: id });
    expect(rig.audit.events.at(-1)).toMatchObject({ type: 'session.terminated', reason: 'grace expired' });
  });

  it('a short sleep uses up only that much grace, and a wall clock set back during sleep never adds any', async () => {
    const rig = makeRig({ policy: { graceMinutes: 20 } });
    await rig.tap('alice');
    await rig.service.handle({ type: 'os', event: 'suspend' });
    rig.clock.jumpWallClock(5 * MIN);
    await rig.service.handle({ type: 'os', event: 'resume' });
    expect(rig.service.view().graceMsLeft).toBe(15 * MIN);
    await rig.service.handle({ type: 'os', event: 'suspend' });
    rig.clock.jumpWallClock(-3 * 60 * MIN);
    await rig.service.handle({ type: 'os', event: 'resume' });
    expect(rig.service.view().graceMsLeft).toBe(15 * MIN);
    await rig.advance(15 * MIN);
    expect(rig.screen()).toBe('no-user');
  });
});

describe('rule: a wall-clock jump never extends a session', () => {
  it('deadlines follow the monotonic clock only', async () => {
    const rig = makeRig({ policy: { idleTimeoutSeconds: 60, warningSeconds: 10, graceMinutes: 1 } });
    await rig.tap('alice');
    rig.clock.jumpWallClock(-3600_000);
    await rig.advance(60 * SEC);
    expect(rig.screen()).toBe('locked');
    rig.clock.jumpWallClock(-24 * 3600_000);
    await rig.advance(MIN);
    expect(rig.screen()).toBe('no-user');
  });
});

describe('rule: PIN lockout after N failures, cleared only by full sign-in', () => {
  it('shows attempts left, locks out, goes straight to a full sign-in, and only that clears it', async () => {
    const rig = makeRig({ policy: { reverifyInGrace: 'badge+pin' } });
    await rig.tap('alice');
    const id = rig.lifecycle[0]!.sessionId;
    await rig.service.handle({ type: 'lock-now' });
    await rig.tap('alice');
    await rig.pin('0000');
    expect(rig.service.view().pinPrompt).toEqual({ attemptsLeft: 2, canReset: false });
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
    expect(rig.service.view().notice?.text).toMatch(/Sign-in did not succeed/);
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

  it("the identity layer's backoff is shown, and a PIN entered during it changes nothing", async () => {
    const rig = makeRig({ policy: { reverifyInGrace: 'pin' } });
    rig.pins.backoffMs = 4_000;
    await rig.tap('alice');
    await rig.service.handle({ type: 'lock-now' });
    await rig.pin('0000');
    expect(rig.service.view().notice?.text).toBe(
      'Wrong PIN. 2 attempts left before your PIN is locked. Wait 4 s before trying again.',
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
    expect(rig.service.view().pinPrompt).toEqual({ canReset: false });
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

describe('rule: an idle lock is recorded as a timeout', () => {
  it('records session.timeout for the idle lock and session.lock for a requested one', async () => {
    const rig = makeRig({ policy: { idleTimeoutSeconds: 60, warningSeconds: 10 } });
    await rig.tap('alice');
    await rig.advance(60 * SEC);
    expect(rig.audit.events.at(-1)).toMatchObject({ type: 'session.timeout', reason: 'idle 60 s' });
    await rig.tap('alice');
    await rig.service.handle({ type: 'lock-now' });
    expect(rig.audit.events.at(-1)).toMatchObject({ type: 'session.lock', reason: 'lock requested' });
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
    expect(rig.service.view().notice?.text).toBe('Tap your badge to sign in.');
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
    expect(rig.service.view().notice?.text).toMatch(
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

describe('rule: deadlines apply before any event, not only when their timer fires', () => {
  it('the owner tapping just after grace ended (timer not yet fired) starts a new session', async () => {
    const rig = makeRig({ policy: { graceMinutes: 5 } });
    await rig.tap('alice');
    const id = rig.lifecycle[0]!.sessionId;
    await rig.service.handle({ type: 'lock-now' });
    rig.clock.advanceWithoutFiring(5 * MIN + 5);
    await rig.tap('alice');
    expect(rig.screen()).toBe('active');
    expect(rig.lifecycle.at(-1)?.sessionId).not.toBe(id);
    expect(rig.lifecycle).toContainEqual({ kind: 'terminated', sessionId: id });
  });

  it('lock-now after the absolute lifetime ended ends the session and requires a full sign-in', async () => {
    const rig = makeRig({ policy: { absoluteLifetimeHours: 1, idleTimeoutSeconds: 3600, warningSeconds: 0 } });
    await rig.tap('alice');
    rig.clock.advanceWithoutFiring(60 * MIN);
    await rig.service.handle({ type: 'lock-now' });
    expect(rig.screen()).toBe('no-user');
    expect(rig.audit.events.at(-1)?.reason).toMatch(/absolute lifetime/);
    await rig.tap('alice');
    expect(rig.auth.requests).toHaveLength(1);
  });
});

describe('grants wait for durability', () => {
  it('publishes an unlock only after the audit record is durable', async () => {
    let release: () => void = () => undefined;
    const events: AuditEvent[] = [];
    const slow: AuditSink = {
      append: (e) => {
        events.push(e);
        return e.type === 'session.sign_in' ? new Promise((r) => (release = r)) : Promise.resolve();
      },
    };
    const rig = makeRig({ audit: slow });
    const handled = rig.tap('alice');
    await flush();
    expect(types(events)).toEqual(['session.sign_in']);
    expect(rig.screen()).toBe('no-user');
    expect(rig.views).toHaveLength(0);
    release();
    await handled;
    expect(rig.screen()).toBe('active');
  });

  it('stays locked and says the audit trail is unavailable when the append fails', async () => {
    const sink = new FlakyAuditSink();
    const rig = makeRig({ audit: sink });
    await rig.tap('alice');
    await rig.service.handle({ type: 'lock-now' });
    sink.failing = true;
    await rig.tap('alice');
    expect(rig.screen()).toBe('locked');
    expect(rig.service.view().notice?.text).toMatch(/audit trail is unavailable/);
    expect(rig.lifecycle.at(-1)?.kind).toBe('hidden');
  });
});

describe('policy changes and invalid policy', () => {
  it('an invalid policy locks at once, names the key, refuses taps, and loses nothing', async () => {
    const rig = makeRig();
    await rig.tap('alice');
    await rig.service.handle({
      type: 'policy-invalid',
      problems: [{ path: 'session.graceMinutes', message: 'must be at most 480 minutes' }],
    });
    const v = rig.service.view();
    expect(v.screen).toBe('policy-error');
    expect(v.notice?.text).toContain('session.graceMinutes: must be at most 480 minutes');
    await rig.tap('alice');
    expect(rig.service.view().screen).toBe('policy-error');
    await rig.service.handle({ type: 'policy-change', policy: { ...makePolicy(), profile: 'er-kiosk' } });
    expect(rig.service.view()).toMatchObject({
      screen: 'locked',
      profile: 'er-kiosk',
      user: { displayName: 'Alice Nurse' },
    });
    await rig.tap('alice');
    expect(rig.screen()).toBe('active');
  });

  it('a shorter idle timeout applies at once', async () => {
    const rig = makeRig({ policy: { idleTimeoutSeconds: 600 } });
    await rig.tap('alice');
    await rig.advance(200 * SEC);
    await rig.service.handle({
      type: 'policy-change',
      policy: { ...makePolicy(), idleTimeoutSeconds: 120, warningSeconds: 20 },
    });
    await rig.advance(0);
    expect(rig.screen()).toBe('locked');
  });
});

describe('admin revoke and step-up', () => {
  it('revoking a user ends their sessions and requires a full sign-in', async () => {
    const rig = makeRig();
    await rig.tap('alice');
    await rig.tap('bob');
    await rig.service.handle({ type: 'admin-revoke', userId: USERS.alice.userId, reason: 'badge reported stolen' });
    expect(rig.service.view().suspendedCount).toBe(0);
    expect(rig.who()).toBe('Bob Doctor');
    rig.auth.nextUser = undefined;
    await rig.tap('alice');
    expect(rig.auth.requests.at(-1)?.expectedUserId).toBe(USERS.alice.userId);
  });
});

describe('step-up before a high-risk action', () => {
  it('with a provider sign-in as the only proof, starts it at once and reports the durable outcome', async () => {
    let release: () => void = () => undefined;
    const events: AuditEvent[] = [];
    const gated: AuditSink = {
      append: (e) => {
        events.push(e);
        return e.type === 'session.step_up' && e.outcome === 'success'
          ? new Promise((r) => (release = r))
          : Promise.resolve();
      },
    };
    const rig = makeRig({
      audit: gated,
      policy: { absoluteLifetimeHours: 8, idleTimeoutSeconds: 3600, warningSeconds: 0 },
    });
    const outcomes: unknown[] = [];
    rig.service.onStepUp((o) => outcomes.push(o));
    await rig.tap('alice');
    const id = rig.lifecycle[0]!.sessionId;
    await rig.advance(30 * MIN);
    const stepping = rig.service.handle({ type: 'step-up-request', action: 'export' });
    await flush();
    expect(rig.stepUp.proofs).toEqual([{ userId: USERS.alice.userId, action: 'export', proof: { method: 'idp' } }]);
    expect(outcomes).toEqual([]); // not before the record is durable
    release();
    await stepping;
    expect(outcomes).toEqual([{ action: 'export', userId: USERS.alice.userId, sessionId: id, ok: true }]);
    expect(events.at(-1)).toMatchObject({
      type: 'session.step_up',
      outcome: 'success',
      details: { action: 'export', method: 'idp', sessionId: id },
    });
    expect(rig.service.view().lifetimeMsLeft).toBe(8 * 60 * MIN); // a fresh sign-in renews the shift lifetime
    expect(rig.service.view().stepUp).toBeUndefined();
  });

  it('with a choice, shows it; a wrong authenticator code may be retried, a right one succeeds', async () => {
    const rig = makeRig();
    rig.stepUp.methods = ['idp', 'totp'];
    const outcomes: { ok: boolean }[] = [];
    rig.service.onStepUp((o) => outcomes.push(o));
    await rig.tap('alice');
    await rig.service.handle({ type: 'step-up-request', action: 'break-glass' });
    expect(rig.service.view().stepUp).toEqual({ action: 'break-glass', methods: ['idp', 'totp'] });
    expect(rig.stepUp.proofs).toEqual([]);
    await rig.service.handle({ type: 'step-up-prove', proof: { method: 'totp', code: '000000' } });
    expect(rig.service.view()).toMatchObject({
      stepUp: { action: 'break-glass' },
      notice: { level: 'warning', text: 'That code is wrong.' },
    });
    expect(rig.audit.events.at(-1)).toMatchObject({ type: 'session.step_up', outcome: 'failure' });
    await rig.service.handle({ type: 'step-up-prove', proof: { method: 'totp', code: FakeStepUp.GOOD_CODE } });
    expect(outcomes.map((o) => o.ok)).toEqual([true]);
    expect(rig.audit.events.at(-1)).toMatchObject({
      type: 'session.step_up',
      outcome: 'success',
      details: { method: 'totp' },
    });
  });

  it('a proof submitted twice while the first is checked is sent once', async () => {
    const rig = makeRig();
    rig.stepUp.methods = ['idp', 'totp'];
    rig.stepUp.hold = true;
    await rig.tap('alice');
    await rig.service.handle({ type: 'step-up-request', action: 'break-glass' });
    const first = rig.service.handle({ type: 'step-up-prove', proof: { method: 'totp', code: FakeStepUp.GOOD_CODE } });
    await flush();
    expect(rig.service.view().stepUp?.proving).toBe('totp');
    await rig.service.handle({ type: 'step-up-prove', proof: { method: 'totp', code: FakeStepUp.GOOD_CODE } });
    rig.stepUp.release();
    await first;
    expect(rig.stepUp.proofs).toHaveLength(1);
  });

  it('cancelling, or a lock, abandons the step-up: the consumer hears no, the trail says why', async () => {
    const rig = makeRig();
    rig.stepUp.methods = ['idp', 'totp'];
    const outcomes: { ok: boolean }[] = [];
    rig.service.onStepUp((o) => outcomes.push(o));
    await rig.tap('alice');
    await rig.service.handle({ type: 'step-up-request', action: 'break-glass' });
    await rig.service.handle({ type: 'step-up-cancel' });
    expect(rig.audit.events.at(-1)).toMatchObject({
      type: 'session.step_up',
      outcome: 'failure',
      reason: 'step-up for break-glass abandoned: cancelled by the user',
    });
    await rig.service.handle({ type: 'step-up-request', action: 'break-glass' });
    await rig.service.handle({ type: 'lock-now' });
    expect(outcomes.map((o) => o.ok)).toEqual([false, false]);
    expect(rig.audit.events.some((e) => e.type === 'session.step_up' && /abandoned: locked/.test(e.reason ?? ''))).toBe(
      true,
    );
  });

  it('refuses without a signed-in user, and says so when the policy leaves no proof this user can give', async () => {
    const rig = makeRig();
    await rig.service.handle({ type: 'step-up-request', action: 'export' });
    expect(rig.service.view().notice?.text).toMatch(/sign in first/);
    await rig.tap('alice');
    rig.stepUp.methods = [];
    await rig.service.handle({ type: 'step-up-request', action: 'policy-change' });
    expect(rig.service.view().notice).toMatchObject({
      level: 'error',
      text: expect.stringMatching(/no way to confirm it is you/),
    });
    expect(rig.audit.events.at(-1)).toMatchObject({ type: 'session.step_up', outcome: 'failure' });
  });

  it('a failed provider proof ends the step-up and the session goes on', async () => {
    const rig = makeRig();
    const outcomes: { ok: boolean }[] = [];
    rig.service.onStepUp((o) => outcomes.push(o));
    await rig.tap('alice');
    rig.stepUp.idpFails = 'You signed in as Bob Doctor; step-up must be done by the signed-in clinician.';
    await rig.service.handle({ type: 'step-up-request', action: 'export' });
    expect(outcomes.map((o) => o.ok)).toEqual([false]);
    expect(rig.who()).toBe('Alice Nurse');
    expect(rig.service.view().notice?.text).toMatch(/Could not confirm it is you: You signed in as Bob/);
  });
});

function makePolicy() {
  return testPolicy();
}

describe('a grant racing another event', () => {
  it('re-decides on the current state: a grace expiry elsewhere does not cancel the unlock', async () => {
    let release: () => void = () => undefined;
    let holdNext = false;
    const events: AuditEvent[] = [];
    const gated: AuditSink = {
      append: (e) => {
        events.push(e);
        if (holdNext && e.type === 'session.unlock') return new Promise((r) => (release = r));
        return Promise.resolve();
      },
    };
    const rig = makeRig({ audit: gated, policy: { graceMinutes: 10 } });
    await rig.tap('bob');
    await rig.tap('alice'); // Bob suspended at t=0, grace ends at 10 min
    await rig.advance(9 * MIN);
    await rig.service.handle({ type: 'lock-now' });
    holdNext = true;
    const unlocking = rig.tap('alice');
    await flush();
    await rig.advance(MIN); // Bob's grace ends while Alice's unlock record is being written
    expect(rig.service.view().suspendedCount).toBe(0);
    release();
    await unlocking;
    expect(rig.who()).toBe('Alice Nurse');
  });

  it('two grants in flight apply in order, and the later one re-decides (locking the earlier user first)', async () => {
    let release: () => void = () => undefined;
    const events: AuditEvent[] = [];
    const gated: AuditSink = {
      append: (e) => {
        events.push(e);
        return e.type === 'session.unlock' ? new Promise((r) => (release = r)) : Promise.resolve();
      },
    };
    const rig = makeRig({ audit: gated });
    await rig.tap('alice');
    await rig.service.handle({ type: 'lock-now' });
    const unlocking = rig.tap('alice');
    await flush();
    const bob = rig.tap('bob'); // Bob taps while Alice's unlock is being written: his record queues behind hers
    await flush();
    expect(rig.screen()).toBe('locked');
    release();
    await Promise.all([unlocking, bob]);
    expect(rig.who()).toBe('Bob Doctor');
    expect(types(events).slice(2)).toEqual([
      'session.unlock',
      'session.sign_in',
      'session.lock',
      'session.suspended',
      'session.user_switch',
    ]);
    expect(rig.lifecycle.map((e) => e.kind)).toEqual(['shown', 'hidden', 'shown', 'hidden', 'shown']);
  });

  it('drops a grant that no longer applies, says so in the trail, and asks for a new tap', async () => {
    let release: () => void = () => undefined;
    let held = false;
    const events: AuditEvent[] = [];
    const gated: AuditSink = {
      append: (e) => {
        events.push(e);
        if (e.type !== 'session.unlock' || held) return Promise.resolve();
        held = true;
        return new Promise((r) => (release = r));
      },
    };
    const rig = makeRig({ audit: gated, policy: { graceMinutes: 5 } });
    await rig.tap('alice');
    await rig.service.handle({ type: 'lock-now' });
    await rig.advance(5 * MIN - 1);
    const unlocking = rig.tap('alice');
    await flush();
    await rig.advance(1); // grace ends while the unlock record is being written
    release();
    await unlocking;
    expect(rig.screen()).toBe('no-user');
    expect(rig.service.view().notice?.text).toMatch(/tap your badge again/);
    // The durable success record is followed by one saying the unlock never took effect.
    expect(events.filter((e) => e.type === 'session.unlock').map((e) => [e.outcome, e.reason])).toEqual([
      ['success', 'verified by badge'],
      ['failure', 'verified by badge: not shown, interrupted by another event before the screen unlocked'],
    ]);
  });
});
