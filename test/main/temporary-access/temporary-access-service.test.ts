import { describe, expect, it } from 'vitest';
import { flush, fakeHash } from '../session/session-test-kit.js';
import { BADGE, CHARGE, DAY_MS, LOCUM, NURSE, PIN, temporaryRig } from './temporary-fixtures.js';

/** A shift window around the rig clock's local time now: from `fromHours` to `toHours` hours from now. */
function shiftAround(now: Date, fromHours: number, toHours: number) {
  const at = (h: number) => {
    const d = new Date(now.getTime() + h * 3_600_000);
    return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  };
  return { start: at(fromHours), end: at(toHours) };
}

describe('a sponsored temporary enrollment', () => {
  it('asks for a sponsor before saving, then lets the locum in with the sponsorship on record and on screen', async () => {
    const rig = await temporaryRig();
    await rig.enrollStaff(CHARGE, BADGE.charge, PIN.charge);
    const { completion } = await rig.locumWaitsForSponsor();
    // Nothing is saved while the sponsor is awaited.
    expect(await rig.directory.account(LOCUM.userId)).toBeUndefined();
    expect(rig.sponsorship.state()).toMatchObject({ newcomer: LOCUM.displayName, step: 'badge', maxDays: 14 });

    await rig.sponsorship.badge(fakeHash(BADGE.charge));
    expect(rig.sponsorship.state()).toMatchObject({ step: 'pin', sponsor: CHARGE.displayName });
    expect(await rig.sponsorship.pin(PIN.charge)).toEqual({ ok: true });
    expect(rig.sponsorship.confirm({ days: 3, shift: null })).toEqual({ ok: true });
    await completion;
    await flush();

    const expiresAt = new Date(rig.clock.wallTime().getTime() + 3 * DAY_MS).toISOString();
    const account = await rig.directory.account(LOCUM.userId);
    expect(account?.temporary).toEqual({ sponsorUserId: CHARGE.userId, sponsorName: CHARGE.displayName, expiresAt });
    const view = rig.session.view();
    expect(view.screen).toBe('active');
    expect(view.user).toEqual({ displayName: LOCUM.displayName, roles: LOCUM.roles, temporaryUntil: expiresAt });
    const enrolled = rig.sink.events.find((e) => e.type === 'temporary.enroll');
    expect(enrolled).toMatchObject({
      outcome: 'success',
      actor: { userId: CHARGE.userId },
      details: { subjectUserId: LOCUM.userId, sponsorUserId: CHARGE.userId, expiresAt },
    });
    // The sponsorship is recorded after the enrollment itself, and before the session starts.
    const types = rig.types();
    expect(types.indexOf('enrollment.enrolled')).toBeLessThan(types.indexOf('temporary.enroll'));
    expect(types.indexOf('temporary.enroll')).toBeLessThan(types.lastIndexOf('session.sign_in'));
  });

  it('refuses the newcomer sponsoring themselves, a role that may not sponsor and a wrong PIN, each audited', async () => {
    const rig = await temporaryRig();
    await rig.enrollStaff(CHARGE, BADGE.charge, PIN.charge);
    await rig.enrollStaff(NURSE, BADGE.nurse, PIN.nurse);
    const { completion } = await rig.locumWaitsForSponsor();

    await rig.sponsorship.badge(fakeHash(BADGE.locum));
    expect(rig.sponsorship.state()).toMatchObject({
      step: 'badge',
      error: expect.stringMatching(/cannot sponsor yourself/),
    });
    await rig.sponsorship.badge(fakeHash(BADGE.nurse));
    expect(rig.sponsorship.state()?.error).toBe(
      'Ana Lopez, RN cannot sponsor temporary staff: a sponsor needs the role charge-nurse.',
    );
    await rig.sponsorship.badge(fakeHash('H10301:50:77'));
    expect(rig.sponsorship.state()?.error).toMatch(/not enrolled on this workstation/);
    await rig.sponsorship.badge(fakeHash(BADGE.charge));
    const wrong = await rig.sponsorship.pin('0000');
    expect(wrong).toEqual({ ok: false, message: expect.stringMatching(/^Wrong PIN for Chris Hall, Charge Nurse/) });
    // Terms cannot be confirmed before the PIN was right.
    expect(rig.sponsorship.confirm({ days: 3, shift: null }).ok).toBe(false);
    // The same back-off as at the lock screen applies to a sponsor's PIN.
    expect(await rig.sponsorship.pin(PIN.charge)).toEqual({ ok: false, message: 'Wait 1 second before the next PIN.' });
    rig.clock.advance(1000);
    expect(await rig.sponsorship.pin(PIN.charge)).toEqual({ ok: true });
    expect(rig.sponsorship.confirm({ days: 15, shift: null })).toEqual({
      ok: false,
      message: 'Choose between 1 and 14 days: policy allows temporary access for at most 14 days.',
    });
    expect(rig.sponsorship.confirm({ days: 14, shift: null })).toEqual({ ok: true });
    await completion;

    const refusals = rig.sink.events.filter((e) => e.type === 'temporary.refuse');
    expect(refusals.map((e) => e.reason)).toEqual([
      'self-sponsorship refused',
      'sponsor lacks a sponsor role (charge-nurse)',
      'sponsor badge not enrolled here',
      'sponsor PIN refused (wrong)',
      'sponsor PIN refused (too-soon)',
    ]);
    expect(refusals[1]).toMatchObject({ actor: { userId: NURSE.userId }, details: { subjectUserId: LOCUM.userId } });
    expect((await rig.directory.account(LOCUM.userId))?.temporary?.sponsorUserId).toBe(CHARGE.userId);
  });

  it('saves nothing when the sponsor cancels or the enrollment is cancelled while it waits', async () => {
    const rig = await temporaryRig();
    await rig.enrollStaff(CHARGE, BADGE.charge, PIN.charge);
    let { completion } = await rig.locumWaitsForSponsor();
    rig.sponsorship.cancel();
    await completion;
    expect(rig.session.view().notice).toMatchObject({
      id: 'enrollmentRefused',
      params: { why: 'No sponsor confirmed this temporary enrollment, so it was not saved.' },
    });
    ({ completion } = await rig.locumWaitsForSponsor());
    await rig.session.handle({ type: 'enroll-cancel' });
    await completion;
    expect(rig.sponsorship.state()).toBeNull();
    expect(await rig.directory.account(LOCUM.userId)).toBeUndefined();
    expect(await rig.directory.resolveBadge(fakeHash(BADGE.locum))).toBeUndefined();
    expect(await rig.pins.hasPin(LOCUM.userId)).toBe(false);
    expect(rig.tokens.caches.has(LOCUM.userId)).toBe(false);
    expect(rig.sink.events.filter((e) => e.type === 'temporary.enroll')).toHaveLength(0);
  });

  it('never lets a temporary person enroll without a sponsor: a permanent enrollment of one is erased at the door', async () => {
    const rig = await temporaryRig();
    // Enrolled before the role said "locum" (the provider changed it since): no sponsorship on record.
    await rig.enrollStaff({ ...LOCUM, roles: ['clinical'] }, BADGE.locum, PIN.locum);
    await rig.directory.updateProfile(LOCUM.userId, { displayName: LOCUM.displayName, roles: LOCUM.roles });
    await rig.tap(BADGE.locum);
    expect(rig.session.view().notice).toMatchObject({ id: 'temporaryNeedsSponsor' });
    expect(rig.session.view().pinPrompt).toBeUndefined();
    expect(await rig.directory.account(LOCUM.userId)).toBeUndefined();
  });
});

describe('expiry of a temporary enrollment', () => {
  it('at expiry erases the enrollment and its tokens, ends the open session, and audits it', async () => {
    const rig = await temporaryRig();
    await rig.enrollStaff(CHARGE, BADGE.charge, PIN.charge);
    await rig.enrollLocum(2);
    expect(rig.session.view().screen).toBe('active');
    const expiresAt = (await rig.directory.account(LOCUM.userId))!.temporary!.expiresAt;

    await rig.advance(2 * DAY_MS - 1);
    expect(await rig.directory.account(LOCUM.userId)).toBeDefined();
    await rig.advance(1);

    expect(await rig.directory.account(LOCUM.userId)).toBeUndefined();
    expect(await rig.directory.resolveBadge(fakeHash(BADGE.locum))).toBeUndefined();
    expect(rig.tokens.wiped).toContain(LOCUM.userId);
    expect(rig.totpRemoved).toContain(LOCUM.userId);
    expect(rig.ended).toContain(LOCUM.userId);
    expect(rig.session.view().screen).toBe('no-user');
    expect(rig.sink.events.find((e) => e.type === 'temporary.expire')).toMatchObject({
      actor: { userId: LOCUM.userId },
      details: { sponsorUserId: CHARGE.userId, expiresAt },
    });
    expect(rig.sink.events.find((e) => e.type === 'enrollment.unenrolled')).toMatchObject({
      actor: { userId: 'temporary-access' },
      details: { subjectUserId: LOCUM.userId },
    });

    // The badge is refused plainly afterwards, not taken for a new enrollment.
    await rig.tap(BADGE.locum);
    expect(rig.session.view().notice).toEqual({
      level: 'error',
      id: 'temporaryAccessEnded',
      params: { date: expiresAt },
    });
    expect(rig.session.view().enrollment).toBeUndefined();
    expect(rig.sink.events.at(-1)).toMatchObject({ type: 'temporary.refuse', details: { expiresAt } });
    // After refuseEndedBadgeDays it is an unknown badge again: a new assignment enrolls with a sponsor.
    await rig.advance(2 * DAY_MS);
    rig.tokens.nextUser(LOCUM);
    await rig.tap(BADGE.locum);
    expect(rig.session.view().enrollment).toMatchObject({ purpose: 'enroll' });
  });

  it('erases at start-up a sponsorship that ended while the workstation was off', async () => {
    const rig = await temporaryRig();
    await rig.enrollStaff(CHARGE, BADGE.charge, PIN.charge);
    await rig.enrollLocum(1);
    rig.temporary.dispose();
    // The workstation was off: the clock moves on without any timer.
    rig.clock.advanceWithoutFiring(DAY_MS + 60_000);
    const restarted = rig.newTemporaryAccess();
    restarted.attach(rig.session);
    await restarted.start();
    await flush();
    expect(await rig.directory.account(LOCUM.userId)).toBeUndefined();
    expect(rig.types()).toContain('temporary.expire');
  });

  it('refuses a tap that finds the sponsorship past due before its timer fired, and erases it then', async () => {
    const rig = await temporaryRig();
    await rig.enrollStaff(CHARGE, BADGE.charge, PIN.charge);
    await rig.enrollLocum(1);
    await rig.session.handle({ type: 'lock-now' });
    rig.clock.advanceWithoutFiring(DAY_MS);
    await rig.tap(BADGE.locum);
    expect(rig.session.view().notice).toMatchObject({ id: 'temporaryAccessEnded' });
    expect(rig.session.view().pinPrompt).toBeUndefined();
    expect(await rig.directory.account(LOCUM.userId)).toBeUndefined();
    // The timer firing afterwards finds nothing left to erase: one expiry, once.
    await rig.advance(1);
    expect(rig.types().filter((t) => t === 'temporary.expire')).toHaveLength(1);
  });
});

describe('the shift window of a temporary enrollment', () => {
  it('refuses the badge outside the window, lets it in inside, and ends the session when the shift ends', async () => {
    const rig = await temporaryRig();
    const shift = shiftAround(rig.clock.wallTime(), 1, 3);
    const policied = await temporaryRig({ shifts: [shift] });
    await policied.enrollStaff(CHARGE, BADGE.charge, PIN.charge);
    await policied.enrollLocum(5, shift);
    // Enrolled before the shift: saved, but nobody is let in.
    expect(policied.session.view().screen).toBe('no-user');
    expect(policied.session.view().notice).toMatchObject({ id: 'temporaryOffShift', params: shift });
    expect((await policied.directory.account(LOCUM.userId))?.temporary?.shift).toEqual(shift);

    await policied.tap(BADGE.locum);
    expect(policied.session.view().notice).toMatchObject({ id: 'temporaryOffShift' });
    expect(policied.session.view().pinPrompt).toBeUndefined();

    await policied.advance(60 * 60_000 + 60_000);
    await policied.tap(BADGE.locum);
    expect(policied.session.view().pinPrompt).toMatchObject({ displayName: LOCUM.displayName });
    await policied.session.handle({ type: 'pin', pin: PIN.locum });
    expect(policied.session.view().screen).toBe('active');

    await policied.advance(2 * 60 * 60_000);
    expect(policied.session.view().screen).toBe('no-user');
    expect(policied.ended).toContain(LOCUM.userId);
    // The enrollment stays: only the expiry erases it.
    expect(await policied.directory.account(LOCUM.userId)).toBeDefined();
  });

  it('refuses a PIN that arrives after the shift ended, though the tap came inside it', async () => {
    const rig = await temporaryRig();
    const shift = shiftAround(rig.clock.wallTime(), -1, 1);
    const policied = await temporaryRig({ shifts: [shift] });
    await policied.enrollStaff(CHARGE, BADGE.charge, PIN.charge);
    await policied.enrollLocum(5, shift);
    await policied.session.handle({ type: 'lock-now' });
    await policied.advance(55 * 60_000);
    await policied.tap(BADGE.locum);
    expect(policied.session.view().pinPrompt).toBeDefined();
    policied.clock.advanceWithoutFiring(10 * 60_000);
    await policied.session.handle({ type: 'pin', pin: PIN.locum });
    expect(policied.session.view().screen).not.toBe('active');
    expect(policied.session.view().notice).toMatchObject({ id: 'temporaryOffShift' });
  });
});

describe('an admission check that fails', () => {
  it('refuses, saying the badge could not be checked, and lets nobody in', async () => {
    const rig = await temporaryRig();
    await rig.enrollStaff(CHARGE, BADGE.charge, PIN.charge);
    await rig.enrollLocum(3);
    await rig.session.handle({ type: 'lock-now' });
    const failing = rig.sink.append.bind(rig.sink);
    rig.sink.append = async (event) => {
      if (event.type === 'temporary.refuse') throw new Error('disk full');
      return failing(event);
    };
    rig.clock.advanceWithoutFiring(3 * DAY_MS);
    await rig.tap(BADGE.locum);
    expect(rig.session.view().notice).toMatchObject({ id: 'directoryUnavailable' });
    expect(rig.session.view().screen).not.toBe('active');
    expect(rig.session.view().pinPrompt).toBeUndefined();
  });
});
