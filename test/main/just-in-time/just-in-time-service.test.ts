import { describe, expect, it } from 'vitest';
import { EHR, jitRig, PATIENT_FORM, ROLE_FORM, UNIT_FORM } from './support/jit-rig.js';

const ends = (rig: ReturnType<typeof jitRig>) =>
  rig.audit.events.filter((e) => e.type === 'jit.end').map((e) => e.details?.endedBy);

/** Ana asks for the charge-nurse role; Chris (a charge nurse) approves with badge and PIN. */
async function approvedRole(rig: ReturnType<typeof jitRig>, sessionId = 's1', requester = 'u-ana') {
  await rig.lifecycle('shown', sessionId, requester);
  expect(await rig.justInTime.open()).toEqual({ ok: true });
  expect(await rig.justInTime.submit(ROLE_FORM)).toEqual({ ok: true });
  await rig.tap('u-chris');
  expect(await rig.justInTime.approverDecide({ pin: '4826', decision: 'approve' })).toEqual({ ok: true });
  await rig.settle();
}

describe('just-in-time access (ManualClock, a grant server in memory)', () => {
  it('offers "Request access" only to the requester roles policy names', async () => {
    const rig = jitRig();
    await rig.lifecycle('shown', 's-cara', 'u-cara');
    expect(rig.last()?.offered).toBe(false);
    expect(await rig.justInTime.open()).toMatchObject({ ok: false, message: expect.stringContaining('role') });
    await rig.lifecycle('shown', 's-ana', 'u-ana');
    expect(rig.last()?.offered).toBe(true);
  });

  it('validates the form against policy: scope values, purposes, patient reference, duration limits', async () => {
    const rig = jitRig();
    await rig.lifecycle('shown', 's1', 'u-ana');
    await rig.justInTime.open();
    expect(rig.justInTime.overlay()).toEqual({ dialog: true, banner: false });
    expect(rig.last()?.dialog).toMatchObject({ step: 'form', minMinutes: 5, defaultMinutes: 60 });
    expect(await rig.justInTime.submit({ ...ROLE_FORM, value: 'it-admin' })).toMatchObject({ ok: false });
    expect(await rig.justInTime.submit({ ...ROLE_FORM, purposeCode: 'curiosity' })).toMatchObject({ ok: false });
    expect(await rig.justInTime.submit({ ...PATIENT_FORM, value: 'p-1005' })).toMatchObject({ ok: false });
    expect(await rig.justInTime.submit({ ...PATIENT_FORM, durationMinutes: 61 })).toMatchObject({
      ok: false,
      message: 'Choose between 5 and 60 minutes.',
    });
    expect(await rig.justInTime.submit({ ...ROLE_FORM, durationMinutes: 4 })).toMatchObject({ ok: false });
    expect(rig.audit.events).toEqual([]);
    expect(rig.server.requests).toEqual([]);
  });

  it('request -> approver badge -> approver PIN -> the EHR issues the grant with the approver token; the scope opens', async () => {
    const rig = jitRig();
    await rig.lifecycle('shown', 's1', 'u-ana');
    await rig.justInTime.open();
    await rig.justInTime.submit(ROLE_FORM);
    expect(rig.last()?.dialog).toMatchObject({
      step: 'approver',
      request: { requester: 'Name of u-ana', scope: 'role', value: 'charge-nurse', valueLabel: 'Charge nurse' },
    });
    expect(rig.justInTime.takesBadge()).toBe(true);
    expect(await rig.justInTime.approverDecide({ pin: '4826', decision: 'approve' })).toMatchObject({ ok: false });
    await rig.tap('u-chris');
    expect(rig.justInTime.takesBadge()).toBe(false);
    expect(rig.last()?.dialog?.approver).toBe('Name of u-chris');
    expect(await rig.justInTime.approverDecide({ pin: '1111', decision: 'approve' })).toMatchObject({ ok: false });
    expect(rig.server.requests).toEqual([]);
    expect(await rig.justInTime.approverDecide({ pin: '4826', decision: 'approve' })).toEqual({ ok: true });
    expect(rig.server.requests).toEqual([
      {
        holder: 'u-ana',
        request: {
          scope: { kind: 'role', role: 'charge-nurse' },
          purpose: { code: 'covering-unit', text: 'Charge nurse off sick' },
          durationMinutes: 30,
          approval: { kind: 'approver', accessToken: 'u-chris' },
        },
      },
    ]);
    expect(rig.navigations).toEqual([{ sessionId: 's1', url: `${EHR}/open/role` }]);
    expect(rig.justInTime.overlay()).toEqual({ dialog: false, banner: true });
    expect(rig.last()?.grant).toEqual({
      scope: 'role',
      value: 'charge-nurse',
      label: 'Charge nurse',
      msLeft: 30 * 60_000,
      approvedBy: 'Name of u-chris',
    });
    expect(rig.audit.events.map((e) => [e.type, e.outcome, e.actor?.userId])).toEqual([
      ['jit.request', 'success', 'u-ana'],
      ['jit.approve', 'success', 'u-chris'],
      ['jit.start', 'success', 'u-ana'],
    ]);
    expect(rig.audit.events.at(-1)?.details).toMatchObject({
      grantId: 'jit-1',
      ehr: EHR,
      scope: 'role',
      scopeValue: 'charge-nurse',
      purposeCode: 'covering-unit',
      purposeText: 'Charge nurse off sick',
      approval: 'approver',
      approvedBy: 'u-chris',
      durationMin: 30,
    });
  });

  it("refuses the requester's own badge and an approver without an allowed role, audited, and waits for another", async () => {
    const rig = jitRig();
    await rig.lifecycle('shown', 's1', 'u-ana');
    await rig.justInTime.open();
    await rig.justInTime.submit(ROLE_FORM);
    await rig.tap('u-ana');
    expect(rig.last()?.dialog?.error).toMatch(/cannot approve your own request/);
    expect(rig.justInTime.takesBadge()).toBe(true);
    // The role scope needs a charge nurse: a physician is not enough here.
    await rig.tap('u-ben');
    expect(rig.last()?.dialog?.error).toMatch(
      /Name of u-ben may not approve this request: an approver must be charge-nurse/,
    );
    await rig.tap('x-nurse');
    await rig.justInTime.approverBadge('not-a-badge');
    expect(rig.last()?.dialog?.error).toMatch(/not enrolled here/);
    expect(rig.server.requests).toEqual([]);
    const refusals = rig.audit.events.filter((e) => e.type === 'jit.approve');
    expect(refusals.map((e) => [e.outcome, e.actor?.userId, e.details?.refusal])).toEqual([
      ['failure', 'u-ana', 'self-approval'],
      ['failure', 'u-ben', 'approver-role'],
      ['failure', 'x-nurse', 'approver-role'],
      ['failure', undefined, 'unknown-badge'],
    ]);
  });

  it('an approver refuses with a reason (after their PIN): nothing is granted and the requester reads why', async () => {
    const rig = jitRig();
    await rig.lifecycle('shown', 's1', 'u-ana');
    await rig.justInTime.open();
    await rig.justInTime.submit(ROLE_FORM);
    await rig.tap('u-chris');
    expect(await rig.justInTime.approverDecide({ pin: '4826', decision: 'refuse' })).toMatchObject({ ok: false });
    expect(await rig.justInTime.approverDecide({ pin: '4826', decision: 'refuse', reason: 'Ward is covered' })).toEqual(
      {
        ok: true,
      },
    );
    expect(rig.server.requests).toEqual([]);
    expect(rig.last()?.dialog).toMatchObject({
      step: 'refused',
      error: 'Name of u-chris refused the request: Ward is covered',
    });
    expect(rig.audit.events.at(-1)).toMatchObject({
      type: 'jit.refuse',
      actor: { userId: 'u-chris' },
      reason: 'Ward is covered',
      details: { requestedBy: 'u-ana', scope: 'role' },
    });
    expect(rig.justInTime.cancel()).toEqual({ ok: true });
    expect(rig.justInTime.overlay()).toEqual({ dialog: false, banner: false });
  });

  it('auto-approves a scope policy marks low-risk, without an approver', async () => {
    const rig = jitRig();
    await rig.lifecycle('shown', 's1', 'u-ana');
    await rig.justInTime.open();
    await rig.justInTime.submit(UNIT_FORM);
    await rig.settle();
    expect(rig.server.requests.map((r) => r.request.approval)).toEqual([{ kind: 'auto' }]);
    expect(rig.last()?.grant).toMatchObject({ scope: 'unit', value: 'unit-ed', label: 'Emergency Department' });
    expect(rig.last()?.grant?.approvedBy).toBeUndefined();
    expect(rig.audit.events.at(-1)).toMatchObject({ type: 'jit.start', details: { approval: 'auto' } });
  });

  it('asks the requester for the step-up first where policy says, and grants nothing when it fails', async () => {
    const rig = jitRig({ ...jitRigPolicyWithPatientApprover() });
    await rig.lifecycle('shown', 's1', 'u-ana');
    await rig.justInTime.open();
    await rig.justInTime.submit(PATIENT_FORM);
    expect(rig.inputs).toEqual([{ type: 'step-up-request', action: 'just-in-time' }]);
    expect(rig.last()?.dialog?.step).toBe('step-up');
    expect(rig.justInTime.takesBadge()).toBe(false);
    await rig.stepUp('s1', 'u-ana', false);
    expect(rig.last()?.dialog).toMatchObject({ step: 'form', error: expect.stringMatching(/not confirmed/) });
    await rig.justInTime.submit(PATIENT_FORM);
    await rig.stepUp('s1', 'u-ana', true, 'pin');
    expect(rig.last()?.dialog?.step).toBe('approver');
    await rig.tap('u-ben');
    await rig.justInTime.approverDecide({ pin: '4826', decision: 'approve' });
    await rig.settle();
    expect(rig.audit.events.find((e) => e.type === 'jit.start')).toMatchObject({ details: { stepUp: 'pin' } });
  });

  it('an EHR refusal grants nothing, is audited, and the approver starts over', async () => {
    const rig = jitRig();
    rig.server.refuse = 'A request cannot be approved by the person who made it.';
    await rig.lifecycle('shown', 's1', 'u-ana');
    await rig.justInTime.open();
    await rig.justInTime.submit(ROLE_FORM);
    await rig.tap('u-chris');
    await rig.justInTime.approverDecide({ pin: '4826', decision: 'approve' });
    await rig.settle();
    expect(rig.last()?.dialog).toMatchObject({ step: 'approver', error: expect.stringMatching(/^The EHR refused: /) });
    expect(rig.last()?.dialog?.approver).toBeUndefined();
    expect(rig.last()?.grant).toBeUndefined();
    expect(rig.audit.events.at(-1)).toMatchObject({ type: 'jit.start', outcome: 'failure' });
  });

  it("an approver whose sign-in cannot be renewed approves nothing: the EHR needs the approver's own token", async () => {
    const rig = jitRig();
    rig.noToken.add('u-chris');
    await rig.lifecycle('shown', 's1', 'u-ana');
    await rig.justInTime.open();
    await rig.justInTime.submit(ROLE_FORM);
    await rig.tap('u-chris');
    expect(await rig.justInTime.approverDecide({ pin: '4826', decision: 'approve' })).toMatchObject({ ok: false });
    expect(rig.server.requests).toEqual([]);
  });

  it('warns at 10 and 2 minutes, and at expiry ends the grant on the server and reloads the EHR', async () => {
    const rig = jitRig();
    await approvedRole(rig);
    await rig.advance(20 * 60_000);
    expect(rig.last()?.grant?.warning).toBe('This access ends in 10 minutes.');
    await rig.advance(8 * 60_000);
    expect(rig.last()?.grant?.warning).toBe('This access ends in 2 minutes.');
    await rig.advance(2 * 60_000);
    expect(rig.last()?.grant).toBeUndefined();
    expect(rig.server.active()).toEqual([]);
    expect(rig.navigations.at(-1)).toEqual({ sessionId: 's1', url: `${EHR}/` });
    expect(ends(rig)).toEqual(['expiry']);
    expect(rig.audit.events.at(-1)?.details).toMatchObject({ approvedBy: 'u-chris', scope: 'role' });
  });

  it('"End now" ends it on the server at once; a second request waits until then', async () => {
    const rig = jitRig();
    await approvedRole(rig);
    expect(await rig.justInTime.open()).toMatchObject({ ok: false, message: expect.stringMatching(/already hold/) });
    expect(await rig.justInTime.endNow()).toEqual({ ok: true });
    expect(rig.server.active()).toEqual([]);
    expect(ends(rig)).toEqual(['end-now']);
    expect(await rig.justInTime.endNow()).toMatchObject({ ok: false });
    expect(await rig.justInTime.open()).toEqual({ ok: true });
  });

  it('survives lock and resume; ends with the session: sign-out, policy, revocation', async () => {
    const rig = jitRig();
    await approvedRole(rig, 's1');
    await rig.lifecycle('hidden', 's1', 'u-ana');
    expect(rig.server.active()).toHaveLength(1);
    await rig.lifecycle('shown', 's1', 'u-ana');
    expect(rig.last()?.grant).toBeDefined();
    await rig.lifecycle('terminated', 's1', 'u-ana', { signedOut: true });
    await approvedRole(rig, 's2');
    await rig.lifecycle('terminated', 's2', 'u-ana', { revoked: true });
    await approvedRole(rig, 's3');
    await rig.lifecycle('terminated', 's3', 'u-ana');
    expect(rig.server.active()).toEqual([]);
    expect(ends(rig)).toEqual(['sign-out', 'revoked', 'session-end']);
  });

  it('closes an open request when the screen locks: an approval never outlives it', async () => {
    const rig = jitRig();
    await rig.lifecycle('shown', 's1', 'u-ana');
    await rig.justInTime.open();
    await rig.justInTime.submit(ROLE_FORM);
    await rig.tap('u-chris');
    await rig.lifecycle('hidden', 's1', 'u-ana');
    expect(rig.justInTime.overlay()).toEqual({ dialog: false, banner: false });
    expect(await rig.justInTime.approverDecide({ pin: '4826', decision: 'approve' })).toMatchObject({ ok: false });
    await rig.lifecycle('shown', 's1', 'u-ana');
    expect(rig.last()?.dialog).toBeUndefined();
    expect(rig.server.requests).toEqual([]);
  });

  it('dispose ends every grant on the server', async () => {
    const rig = jitRig();
    await approvedRole(rig);
    await rig.justInTime.dispose();
    expect(rig.server.active()).toEqual([]);
    expect(ends(rig)).toEqual(['session-end']);
  });
});

/** The rig's policy with physicians approving patient grants. */
function jitRigPolicyWithPatientApprover() {
  return {
    scopes: [
      { kind: 'patient', maxMinutes: 60, stepUp: true, approverRoles: ['physician'] },
      { kind: 'role', values: [{ value: 'charge-nurse', label: 'Charge nurse' }] },
    ],
  };
}
