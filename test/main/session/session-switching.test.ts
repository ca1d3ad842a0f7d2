import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../main/audit/audit-event.js';
import { makeRig } from './session-test-kit.js';

/** Fast user switching: one user's session is never shown to another. */

const types = (events: readonly AuditEvent[]) => events.map((e) => e.type);

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
      user: { displayName: 'Alice Nurse' },
      // The pad is Bob's, named on it; the locked session stays Alice's.
      pinPrompt: { displayName: 'Bob Doctor' },
    });
    await rig.service.handle({ type: 'pin-cancel' });
    expect(rig.service.view().pinPrompt).toBeUndefined();
    expect(rig.service.view().user?.displayName).toBe('Alice Nurse');
  });
});
