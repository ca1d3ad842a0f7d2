import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../main/audit/audit-event.js';
import type { LifecycleEvent } from '../../../main/session/engine-state.js';
import { FlakyAuditSink, flush, GatedAuditSink, makeRig, testPolicy, USERS } from './session-test-kit.js';
import { noticeEnglish } from '../../support/notice-text.js';

/** Grants shown only once durable in the audit trail, grants racing other events, policy changes and revocation. */

const SEC = 1000;
const MIN = 60 * SEC;
const types = (events: readonly AuditEvent[]) => events.map((e) => e.type);

describe('grants wait for durability', () => {
  it('publishes an unlock only after the audit record is durable', async () => {
    const slow = new GatedAuditSink((e) => e.type === 'session.sign_in');
    const rig = makeRig({ audit: slow });
    const handled = rig.tap('alice');
    await flush();
    expect(types(slow.events)).toEqual(['session.sign_in']);
    expect(rig.screen()).toBe('no-user');
    expect(rig.views).toHaveLength(0);
    slow.release();
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
    expect(noticeEnglish(rig.service.view().notice)).toMatch(/audit trail is unavailable/);
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
    expect(noticeEnglish(v.notice)).toContain('session.graceMinutes: must be at most 480 minutes');
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
  it('revoking a user ends their sessions, saying so, and requires a full sign-in', async () => {
    const rig = makeRig();
    const ended: LifecycleEvent[] = [];
    rig.service.onLifecycle((e) => void (e.kind === 'terminated' && ended.push(e)));
    await rig.tap('alice');
    const aliceSession = rig.lifecycle[0]!.sessionId;
    await rig.tap('bob');
    await rig.service.handle({ type: 'admin-revoke', userId: USERS.alice.userId, reason: 'badge reported stolen' });
    expect(ended).toEqual([{ kind: 'terminated', sessionId: aliceSession, userId: USERS.alice.userId, revoked: true }]);
    expect(rig.service.view().suspendedCount).toBe(0);
    expect(rig.who()).toBe('Bob Doctor');
    rig.auth.nextUser = undefined;
    await rig.tap('alice');
    expect(rig.auth.requests.at(-1)?.expectedUserId).toBe(USERS.alice.userId);
  });
});

function makePolicy() {
  return testPolicy();
}

describe('a grant racing another event', () => {
  it('re-decides on the current state: a grace expiry elsewhere does not cancel the unlock', async () => {
    let holdNext = false;
    const gated = new GatedAuditSink((e) => holdNext && e.type === 'session.unlock');
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
    gated.release();
    await unlocking;
    expect(rig.who()).toBe('Alice Nurse');
  });

  it('two grants in flight apply in order, and the later one re-decides (locking the earlier user first)', async () => {
    const gated = new GatedAuditSink((e) => e.type === 'session.unlock');
    const rig = makeRig({ audit: gated });
    await rig.tap('alice');
    await rig.service.handle({ type: 'lock-now' });
    const unlocking = rig.tap('alice');
    await flush();
    const bob = rig.tap('bob'); // Bob taps while Alice's unlock is being written: his record queues behind hers
    await flush();
    expect(rig.screen()).toBe('locked');
    gated.release();
    await Promise.all([unlocking, bob]);
    expect(rig.who()).toBe('Bob Doctor');
    expect(types(gated.events).slice(2)).toEqual([
      'session.unlock',
      'session.sign_in',
      'session.lock',
      'session.suspended',
      'session.user_switch',
    ]);
    expect(rig.lifecycle.map((e) => e.kind)).toEqual(['shown', 'hidden', 'shown', 'hidden', 'shown']);
  });

  it('drops a grant that no longer applies, says so in the trail, and asks for a new tap', async () => {
    let held = false;
    // Only the unlock's own record is held: the failure record that follows it must not wait.
    const gated = new GatedAuditSink((e) => {
      if (e.type !== 'session.unlock' || held) return false;
      held = true;
      return true;
    });
    const rig = makeRig({ audit: gated, policy: { graceMinutes: 5 } });
    await rig.tap('alice');
    await rig.service.handle({ type: 'lock-now' });
    await rig.advance(5 * MIN - 1);
    const unlocking = rig.tap('alice');
    await flush();
    await rig.advance(1); // grace ends while the unlock record is being written
    gated.release();
    await unlocking;
    expect(rig.screen()).toBe('no-user');
    expect(noticeEnglish(rig.service.view().notice)).toMatch(/tap your badge again/);
    // The durable success record is followed by one saying the unlock never took effect.
    expect(gated.events.filter((e) => e.type === 'session.unlock').map((e) => [e.outcome, e.reason])).toEqual([
      ['success', 'verified by badge'],
      ['failure', 'verified by badge: not shown, interrupted by another event before the screen unlocked'],
    ]);
  });
});
