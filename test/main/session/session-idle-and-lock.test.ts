import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../main/audit/audit-event.js';
import { BADGES, flush, GatedAuditSink, makeRig, USERS } from './session-test-kit.js';
import { noticeEnglish } from '../../support/notice-text.js';

/** Idle warning, locking, grace, the absolute lifetime, tap-out, walk-away and time: when a session leaves the screen and when it ends. */

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
    const slow = new GatedAuditSink((e) => e.type === 'session.lock');
    const rig = makeRig({ audit: slow });
    await rig.tap('alice');
    const handled = rig.service.handle({ type: 'lock-now' });
    expect(rig.screen()).toBe('locked'); // synchronously, before the journal answered
    expect(rig.lifecycle.at(-1)?.kind).toBe('hidden');
    await flush();
    expect(types(slow.events)).toEqual(['session.sign_in', 'session.lock']);
    slow.release();
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
    expect(noticeEnglish(rig.service.view().notice)).toMatch(/tap your badge first/);
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
    expect(rig.service.view().pinPrompt).toEqual({ displayName: 'Alice Nurse', canReset: false });
    await rig.pin('9999');
    expect(rig.service.view().pinPrompt).toEqual({ attemptsLeft: 2, displayName: 'Alice Nurse', canReset: false });
    expect(noticeEnglish(rig.service.view().notice)).toMatch(/Wrong PIN. 2 attempts left/);
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
    expect(noticeEnglish(rig.service.view().notice)).toMatch(/sign-in has expired/);
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

describe('rule: tap-out', () => {
  it('same-user tap locks, except within N seconds of unlocking (double tap)', async () => {
    const rig = makeRig({ policy: { tapOut: { sameUser: 'lock', ignoreWithinSeconds: 3 } } });
    await rig.tap('alice');
    await rig.advance(2 * SEC);
    await rig.tap('alice');
    expect(rig.screen()).toBe('active');
    expect(noticeEnglish(rig.service.view().notice)).toMatch(/Tap ignored/);
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
