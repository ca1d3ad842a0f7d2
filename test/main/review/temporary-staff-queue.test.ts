import { describe, expect, it } from 'vitest';
import { queueTemporaryStaff } from '../../../main/review/temporary-staff-queue.js';
import { BADGE, CHARGE, DAY_MS, LOCUM, PIN, temporaryRig } from '../temporary-access/temporary-fixtures.js';

/** The review reads exactly what the workstation journals: the records come from the real enrollment and expiry. */
async function journaled() {
  const rig = await temporaryRig();
  await rig.enrollStaff(CHARGE, BADGE.charge, PIN.charge);
  const since = rig.clock.wallTime();
  await rig.enrollLocum(2);
  await rig.advance(2 * DAY_MS);
  return { since, records: rig.sink.events.map((event, i) => ({ id: `e-${i}`, event })) };
}

describe('queueTemporaryStaff', () => {
  it('lists each sponsored enrollment with the person, the sponsor, the end date and when and why it was erased', async () => {
    const { since, records } = await journaled();
    // A record delivered twice counts once.
    const entries = queueTemporaryStaff([...records, records.at(-1)!], { since });
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    const enrolled = records.find((r) => r.event.type === 'temporary.enroll')!.event;
    const expired = records.find((r) => r.event.type === 'temporary.expire')!.event;
    expect(entry).toEqual({
      person: { userId: LOCUM.userId, displayName: LOCUM.displayName },
      sponsor: { userId: CHARGE.userId, displayName: CHARGE.displayName },
      workstation: 'ws-test',
      enrolledAt: enrolled.at,
      expiresAt: enrolled.details!.expiresAt,
      endedAt: expired.at,
      endedWhy: expired.reason,
    });
    expect(Date.parse(entry!.endedAt!)).toBeGreaterThanOrEqual(Date.parse(entry!.expiresAt));
  });

  it('leaves out enrollments before the window, and shows a running one without an end', async () => {
    const { since, records } = await journaled();
    const running = records.filter((r) => r.event.type !== 'temporary.expire');
    expect(queueTemporaryStaff(running, { since })[0]).not.toHaveProperty('endedAt');
    expect(queueTemporaryStaff(records, { since: new Date(since.getTime() + DAY_MS) })).toEqual([]);
  });
});
