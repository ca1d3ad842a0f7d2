import { describe, expect, it } from 'vitest';
import { queueJustInTime } from '../../../main/review/just-in-time-queue.js';
import { jitRig, ROLE_FORM, UNIT_FORM } from '../just-in-time/support/jit-rig.js';

/** The review reads exactly what the service journals: the records come from the real service. */
async function journaled() {
  const rig = jitRig();
  await rig.lifecycle('shown', 's1', 'u-ana');
  // 1: approved by a charge nurse after two approvers were turned away, then ended at expiry.
  await rig.justInTime.open();
  await rig.justInTime.submit(ROLE_FORM);
  await rig.tap('u-ana');
  await rig.tap('u-ben');
  await rig.tap('u-chris');
  await rig.justInTime.approverDecide({ pin: '4826', decision: 'approve' });
  await rig.advance(30 * 60_000);
  await rig.advance(60_000);
  // 2: refused with a reason.
  await rig.justInTime.open();
  await rig.justInTime.submit(ROLE_FORM);
  await rig.tap('u-chris');
  await rig.justInTime.approverDecide({ pin: '4826', decision: 'refuse', reason: 'Ward covered' });
  rig.justInTime.cancel();
  // 3: auto-approved, still running.
  await rig.advance(60_000);
  await rig.justInTime.open();
  await rig.justInTime.submit(UNIT_FORM);
  await rig.settle();
  return rig.audit.events.map((event, i) => ({ id: `e-${i}`, event }));
}

describe('queueJustInTime', () => {
  it('lists each request with who asked, who decided, scope, purpose, times and why it ended, newest first', async () => {
    const records = await journaled();
    const entries = queueJustInTime([...records, records[0]!], { since: new Date('2025-01-01T00:00:00Z') });
    expect(entries.map((e) => [e.scope, e.outcome])).toEqual([
      ['unit', 'granted'],
      ['role', 'refused'],
      ['role', 'granted'],
    ]);
    const [auto, refused, approved] = entries;
    expect(auto).toMatchObject({ approval: 'auto', scopeValue: 'unit-ed', grantId: 'jit-2' });
    expect(auto!.endedAt).toBeUndefined();
    expect(refused).toMatchObject({ approver: 'Name of u-chris', refusalReason: 'Ward covered' });
    expect(approved).toMatchObject({
      requester: { userId: 'u-ana', displayName: 'Name of u-ana' },
      workstation: 'WS-1',
      scopeValue: 'charge-nurse',
      purposeCode: 'covering-unit',
      purposeText: 'Charge nurse off sick',
      durationMinutes: 30,
      approval: 'approver',
      approver: 'Name of u-chris',
      grantId: 'jit-1',
      endedBy: 'expiry',
      rejectedApprovers: [
        { approver: 'Name of u-ana', why: 'self-approval' },
        { approver: 'Name of u-ben', why: 'approver-role' },
      ],
    });
    expect(Date.parse(approved!.endedAt!) - Date.parse(approved!.startedAt!)).toBe(30 * 60_000);
  });

  it('shows a request closed before anyone decided as withdrawn, with why, never as waiting', async () => {
    const rig = jitRig();
    await rig.lifecycle('shown', 's1', 'u-ana');
    await rig.justInTime.open();
    await rig.justInTime.submit(ROLE_FORM);
    rig.justInTime.cancel();
    await rig.advance(60_000);
    await rig.justInTime.open();
    await rig.justInTime.submit(ROLE_FORM);
    await rig.lifecycle('hidden', 's1', 'u-ana');
    await rig.settle();
    const records = rig.audit.events.map((event, i) => ({ id: `e-${i}`, event }));
    const entries = queueJustInTime(records, { since: new Date('2025-01-01T00:00:00Z') });
    expect(entries.map((e) => [e.outcome, e.withdrawnWhy])).toEqual([
      ['withdrawn', 'the session was locked or another clinician took the workstation'],
      ['withdrawn', 'withdrawn by the requester'],
    ]);
    expect(rig.audit.events.filter((e) => e.type === 'jit.cancel')).toHaveLength(2);
  });

  it('lists only requests made since the window start', async () => {
    const records = await journaled();
    expect(queueJustInTime(records, { since: new Date('2030-01-01T00:00:00Z') })).toEqual([]);
  });
});
