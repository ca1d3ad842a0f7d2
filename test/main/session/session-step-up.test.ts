import { describe, expect, it } from 'vitest';
import { FakeStepUp, flush, GatedAuditSink, makeRig, USERS } from './session-test-kit.js';
import type { AuditEvent } from '../../../main/audit/audit-event.js';
import { noticeEnglish } from '../../support/notice-text.js';

/** Step-up before a high-risk action. */

const MIN = 60_000;
const types = (events: readonly AuditEvent[]) => events.map((e) => e.type);

describe('step-up before a high-risk action', () => {
  it('with a provider sign-in as the only proof, starts it at once and reports the durable outcome', async () => {
    const gated = new GatedAuditSink((e) => e.type === 'session.step_up' && e.outcome === 'success');
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
    gated.release();
    await stepping;
    expect(outcomes).toEqual([
      { action: 'export', userId: USERS.alice.userId, sessionId: id, ok: true, method: 'idp' },
    ]);
    expect(gated.events.at(-1)).toMatchObject({
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
    expect(rig.service.view().notice).toBeUndefined(); // the dialog asks; no notice to outlive it
    expect(rig.stepUp.proofs).toEqual([]);
    await rig.service.handle({ type: 'step-up-prove', proof: { method: 'totp', code: '000000' } });
    expect(rig.service.view()).toMatchObject({
      stepUp: { action: 'break-glass' },
      notice: { level: 'warning', id: 'tryAgain', params: { message: 'That code is wrong.' } },
    });
    expect(rig.audit.events.at(-1)).toMatchObject({ type: 'session.step_up', outcome: 'failure' });
    await rig.service.handle({ type: 'step-up-prove', proof: { method: 'totp', code: FakeStepUp.GOOD_CODE } });
    expect(outcomes.map((o) => o.ok)).toEqual([true]);
    expect(rig.audit.events.at(-1)).toMatchObject({
      type: 'session.step_up',
      outcome: 'success',
      details: { method: 'totp' },
    });
    // "That code is wrong" was about the dialog, which is gone: it goes with it.
    expect(rig.service.view()).toMatchObject({ screen: 'active' });
    expect(rig.service.view().notice).toBeUndefined();
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
    expect(noticeEnglish(rig.service.view().notice)).toMatch(/sign in first/);
    await rig.tap('alice');
    rig.stepUp.methods = [];
    await rig.service.handle({ type: 'step-up-request', action: 'policy-change' });
    expect(rig.service.view().notice).toMatchObject({ level: 'error', id: 'stepUpImpossible' });
    expect(noticeEnglish(rig.service.view().notice)).toMatch(/no way to confirm it is you/);
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
    expect(noticeEnglish(rig.service.view().notice)).toMatch(/Could not confirm it is you: You signed in as Bob/);
  });

  describe('with the PIN as the proof', () => {
    const pinProof = (pin: string) => ({ type: 'step-up-prove' as const, proof: { method: 'pin' as const, pin } });

    it("the clinician's own PIN is checked by the unlock's PIN service, then policy; success is a grant", async () => {
      const rig = makeRig({ policy: { absoluteLifetimeHours: 8, idleTimeoutSeconds: 3600, warningSeconds: 0 } });
      rig.stepUp.methods = ['pin', 'totp'];
      const outcomes: unknown[] = [];
      rig.service.onStepUp((o) => outcomes.push(o));
      await rig.tap('alice');
      const id = rig.lifecycle[0]!.sessionId;
      await rig.advance(30 * MIN);
      await rig.service.handle({ type: 'step-up-request', action: 'break-glass' });
      expect(rig.service.view().stepUp).toEqual({ action: 'break-glass', methods: ['pin', 'totp'] });
      await rig.service.handle(pinProof('1111'));
      // The port never sees the PIN: only that the PIN service accepted it, for the policy and roles check.
      expect(rig.stepUp.proofs).toEqual([
        { userId: USERS.alice.userId, action: 'break-glass', proof: { method: 'pin', pinAccepted: true } },
      ]);
      expect(outcomes).toEqual([
        { action: 'break-glass', userId: USERS.alice.userId, sessionId: id, ok: true, method: 'pin' },
      ]);
      expect(rig.audit.events.at(-1)).toMatchObject({
        type: 'session.step_up',
        outcome: 'success',
        details: { action: 'break-glass', method: 'pin', sessionId: id },
      });
      expect(rig.service.view().lifetimeMsLeft).toBe(7.5 * 60 * MIN); // a PIN is no full sign-in
    });

    it('a wrong PIN is refused, counted and audited as at the lock screen, and may be retried', async () => {
      const rig = makeRig();
      rig.stepUp.methods = ['pin'];
      const outcomes: { ok: boolean }[] = [];
      rig.service.onStepUp((o) => outcomes.push(o));
      await rig.tap('alice');
      await rig.service.handle({ type: 'step-up-request', action: 'break-glass' });
      await rig.service.handle(pinProof('0000'));
      expect(rig.pins.failures.get(USERS.alice.userId)).toBe(1);
      expect(rig.stepUp.proofs).toEqual([]); // nothing granted on a wrong PIN
      expect(rig.audit.events.at(-1)).toMatchObject({ type: 'pin.failure', outcome: 'failure', reason: 'wrong PIN' });
      expect(rig.service.view()).toMatchObject({
        screen: 'active',
        stepUp: { action: 'break-glass', methods: ['pin'] },
        notice: { id: 'wrongPin', params: { count: 2 } },
      });
      expect(outcomes).toEqual([]);
      await rig.service.handle(pinProof('1111'));
      expect(outcomes.map((o) => o.ok)).toEqual([true]);
      expect(rig.pins.failures.get(USERS.alice.userId)).toBe(0);
    });

    it('a PIN entered during the backoff is neither checked nor counted', async () => {
      const rig = makeRig();
      rig.stepUp.methods = ['pin'];
      await rig.tap('alice');
      await rig.service.handle({ type: 'step-up-request', action: 'break-glass' });
      const verify = rig.pins.verify.bind(rig.pins);
      rig.pins.verify = async () => ({ ok: false, reason: 'too-soon', retryInMs: 2000 });
      await rig.service.handle(pinProof('1111'));
      expect(rig.service.view()).toMatchObject({ stepUp: { action: 'break-glass' }, notice: { id: 'pinTooSoon' } });
      rig.pins.verify = verify;
      await rig.service.handle(pinProof('1111'));
      expect(rig.service.view().stepUp).toBeUndefined();
    });

    it('the last wrong PIN locks the session and goes to the full sign-in an unlock lockout goes to', async () => {
      const rig = makeRig();
      rig.stepUp.methods = ['pin', 'idp'];
      const outcomes: { ok: boolean }[] = [];
      rig.service.onStepUp((o) => outcomes.push(o));
      await rig.tap('alice');
      const id = rig.lifecycle[0]!.sessionId;
      await rig.service.handle({ type: 'step-up-request', action: 'break-glass' });
      rig.auth.nextUser = { ...USERS.bob }; // someone else at the sign-in window must not open Alice's session
      for (const _ of [1, 2, 3]) await rig.service.handle(pinProof('0000'));
      expect(types(rig.audit.events).filter((t) => t.startsWith('pin.'))).toEqual([
        'pin.failure',
        'pin.failure',
        'pin.lockout',
      ]);
      expect(outcomes).toEqual([expect.objectContaining({ ok: false })]);
      expect(rig.auth.requests).toEqual([
        { reason: expect.stringMatching(/PIN is locked/), expectedUserId: USERS.alice.userId },
      ]);
      expect(rig.screen()).toBe('locked');
      expect(rig.service.view().stepUp).toBeUndefined();
      // As after an unlock lockout: even the right PIN no longer opens it; Alice's own full sign-in does.
      await rig.pin('1111');
      expect(rig.screen()).toBe('locked');
      rig.auth.nextUser = undefined;
      await rig.tap('alice');
      expect(rig.screen()).toBe('active');
      expect(rig.lifecycle.at(-1)).toEqual({ kind: 'shown', sessionId: id });
      expect(rig.pins.failures.get(USERS.alice.userId)).toBe(0);
    });

    it('a PIN the policy does not accept for the action is refused without being checked', async () => {
      const rig = makeRig();
      rig.stepUp.methods = ['idp', 'totp'];
      await rig.tap('alice');
      await rig.service.handle({ type: 'step-up-request', action: 'break-glass' });
      await rig.service.handle(pinProof('0000'));
      expect(rig.pins.failures.get(USERS.alice.userId)).toBeUndefined();
      expect(rig.service.view().notice).toMatchObject({ id: 'proofNotAccepted' });
    });
  });
});
