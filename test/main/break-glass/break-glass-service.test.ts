import { describe, expect, it } from 'vitest';
import { breakGlassStopSchema, readBreakGlassStart } from '../../../main/audit/break-glass-details.js';
import { breakGlassRig, EHR, LINK } from './support/break-glass-rig.js';

const lastState = (rig: ReturnType<typeof breakGlassRig>) => rig.states.at(-1);
const stops = (rig: ReturnType<typeof breakGlassRig>) =>
  rig.audit.events.filter((e) => e.type === 'breakglass.stop').map((e) => e.details?.endedBy);

describe('break-glass grant lifecycle (ManualClock, a grant server in memory)', () => {
  it('offers break-glass only to the roles policy allows', async () => {
    const rig = breakGlassRig();
    await rig.lifecycle('shown', 's-cara', 'u-cara');
    expect(lastState(rig)?.offered).toBe(false);
    expect(await rig.breakGlass.open()).toMatchObject({ ok: false, message: expect.stringContaining('role') });
    await rig.lifecycle('shown', 's-ana', 'u-ana');
    expect(lastState(rig)?.offered).toBe(true);
  });

  it('link -> dialog -> confirm asks for the break-glass step-up; the grant comes from the server; the chart reloads', async () => {
    const rig = breakGlassRig();
    await rig.lifecycle('shown', 's1', 'u-ana');
    expect(await rig.breakGlass.openLink(LINK_OF_OTHER_EHR)).toMatchObject({ ok: false });
    expect(await rig.breakGlass.openLink(LINK)).toEqual({ ok: true });
    expect(rig.breakGlass.overlay()).toEqual({ dialog: true, banner: false });
    expect(lastState(rig)?.dialog).toMatchObject({ patient: 'Patient/p-1005', maxMinutes: 480, defaultMinutes: 240 });
    const form = {
      scope: 'patient' as const,
      patient: 'Patient/p-1005',
      reasonCode: 'emergency-care',
      reasonText: 'Collapsed',
      attested: true as const,
      durationMinutes: 60,
    };
    expect(await rig.breakGlass.confirm({ ...form, reasonCode: 'curiosity' })).toMatchObject({ ok: false });
    expect(await rig.breakGlass.confirm({ ...form, durationMinutes: 481 })).toMatchObject({ ok: false });
    expect(await rig.breakGlass.confirm({ ...form, patient: 'Patient/p-1001' })).toMatchObject({ ok: false });
    expect(await rig.breakGlass.confirm(form)).toEqual({ ok: true });
    expect(rig.inputs).toEqual([{ type: 'step-up-request', action: 'break-glass' }]);
    expect(rig.server.grants).toHaveLength(0);
    await rig.stepUp('s1', 'u-ana', true);
    expect(rig.server.serves('u-ana', 'Patient/p-1005')).toBe(true);
    expect(rig.navigations).toEqual([{ sessionId: 's1', url: `${EHR}/patients/p-1005` }]);
    expect(rig.breakGlass.overlay()).toEqual({ dialog: false, banner: true });
    expect(lastState(rig)?.grant).toMatchObject({ scope: 'patient', patient: 'Patient/p-1005', msLeft: 3_600_000 });
    const start = rig.audit.events.find((e) => e.type === 'breakglass.start');
    expect(start).toMatchObject({
      outcome: 'success',
      actor: { userId: 'u-ana' },
      details: {
        grantId: 'bg-1',
        ehr: EHR,
        scope: 'patient',
        patient: 'Patient/p-1005',
        reasonCode: 'emergency-care',
        reasonText: 'Collapsed',
        attested: true,
        stepUp: 'idp',
        durationMin: 60,
        episodesIn30Days: 1,
      },
    });
    // The privacy office's alert mail and review queue read exactly this shape (main/audit/break-glass-details.ts).
    expect(readBreakGlassStart(start!)).toMatchObject({ ok: true, start: { grantId: 'bg-1', durationMin: 60 } });
  });

  it('records how the clinician proved it was them: their PIN, when the step-up was proved that way', async () => {
    const rig = breakGlassRig();
    await rig.lifecycle('shown', 's1', 'u-ana');
    await rig.breakGlass.openLink(LINK);
    await rig.breakGlass.confirm({
      scope: 'patient',
      patient: 'Patient/p-1005',
      reasonCode: 'emergency-care',
      reasonText: 'Collapsed',
      attested: true,
      durationMinutes: 60,
    });
    await rig.stepUp('s1', 'u-ana', true, 'pin');
    expect(rig.audit.events.find((e) => e.type === 'breakglass.start')).toMatchObject({
      outcome: 'success',
      details: { stepUp: 'pin' },
    });
  });

  it('a failed step-up grants nothing and says so in the dialog', async () => {
    const rig = breakGlassRig();
    await rig.lifecycle('shown', 's1', 'u-ana');
    await rig.breakGlass.openLink(LINK);
    await rig.breakGlass.confirm({
      scope: 'patient',
      patient: 'Patient/p-1005',
      reasonCode: 'emergency-care',
      reasonText: 'x',
      attested: true,
      durationMinutes: 60,
    });
    await rig.stepUp('s1', 'u-ana', false);
    expect(rig.server.grants).toHaveLength(0);
    expect(lastState(rig)?.dialog?.error).toMatch(/not confirmed/);
  });

  it('warns at 10 and 2 minutes, and at expiry ends the grant on the server and reloads the chart', async () => {
    const rig = breakGlassRig();
    await rig.lifecycle('shown', 's1', 'u-ana');
    await rig.grant('s1', 'u-ana', 15);
    await rig.advance(5 * 60_000);
    expect(lastState(rig)?.grant?.warning).toBe('Break-glass access ends in 10 minutes.');
    await rig.advance(8 * 60_000);
    expect(lastState(rig)?.grant?.warning).toBe('Break-glass access ends in 2 minutes.');
    await rig.advance(2 * 60_000);
    expect(lastState(rig)?.grant).toBeUndefined();
    expect(rig.server.active()).toEqual([]);
    expect(rig.server.grants[0]?.endedAtMs).toBe(15 * 60_000);
    expect(rig.navigations.at(-1)).toEqual({ sessionId: 's1', url: `${EHR}/patients/p-1005` });
    expect(stops(rig)).toEqual(['expiry']);
  });

  it('survives lock and resume; ends with the session (sign-out, grace, lifetime, revocation) on the server', async () => {
    const rig = breakGlassRig();
    await rig.lifecycle('shown', 's1', 'u-ana');
    await rig.grant('s1', 'u-ana');
    await rig.lifecycle('hidden', 's1', 'u-ana');
    expect(rig.server.active()).toHaveLength(1);
    expect(rig.breakGlass.returnPath('s1')).toBe('/patients/p-1005');
    await rig.lifecycle('shown', 's1', 'u-ana');
    expect(lastState(rig)?.grant).toBeDefined();
    await rig.lifecycle('hidden', 's1', 'u-ana');
    await rig.lifecycle('terminated', 's1', 'u-ana');
    expect(rig.server.active()).toEqual([]);
    expect(stops(rig)).toEqual(['session-end']);
    // A sign-out says so.
    await rig.lifecycle('shown', 's2', 'u-ana');
    await rig.grant('s2', 'u-ana');
    await rig.lifecycle('hidden', 's2', 'u-ana');
    await rig.lifecycle('terminated', 's2', 'u-ana', { signedOut: true });
    expect(rig.server.active()).toEqual([]);
    expect(stops(rig)).toEqual(['session-end', 'sign-out']);
    // So does an administrator's revocation of the account.
    await rig.lifecycle('shown', 's3', 'u-ana');
    await rig.grant('s3', 'u-ana');
    await rig.lifecycle('terminated', 's3', 'u-ana', { revoked: true });
    expect(rig.server.active()).toEqual([]);
    expect(stops(rig)).toEqual(['session-end', 'sign-out', 'revoked']);
  });

  it('a grant the EHR issues after the session ended (a slow answer) is ended at once, and no view is reloaded', async () => {
    const rig = breakGlassRig();
    let release = () => {};
    rig.server.gate = new Promise<void>((resolve) => (release = resolve));
    await rig.lifecycle('shown', 's1', 'u-ana');
    await rig.grant('s1', 'u-ana');
    await rig.lifecycle('hidden', 's1', 'u-ana');
    await rig.lifecycle('terminated', 's1', 'u-ana');
    release();
    await rig.settle();
    await rig.settle();
    expect(rig.server.grants).toHaveLength(1);
    expect(rig.server.active()).toEqual([]);
    expect(rig.navigations).toEqual([]);
    expect(rig.audit.events.map((e) => e.type)).toEqual(['breakglass.start', 'breakglass.stop']);
    expect(stops(rig)).toEqual(['session-end']);
    expect(breakGlassStopSchema.safeParse(rig.audit.events[1]!.details).success).toBe(true);
  });

  it('end now ends it on the server before the chart reloads', async () => {
    const rig = breakGlassRig();
    await rig.lifecycle('shown', 's1', 'u-ana');
    await rig.grant('s1', 'u-ana');
    expect(await rig.breakGlass.endNow()).toEqual({ ok: true });
    expect(rig.server.active()).toEqual([]);
    expect(stops(rig)).toEqual(['end-now']);
    expect(await rig.breakGlass.endNow()).toMatchObject({ ok: false });
  });

  it('extends only with a new reason and step-up, within the policy maximum from the first grant', async () => {
    const rig = breakGlassRig({ maxMinutes: 120, defaultMinutes: 60, scopes: ['patient'] });
    await rig.lifecycle('shown', 's1', 'u-ana');
    await rig.grant('s1', 'u-ana', 60);
    await rig.advance(50 * 60_000);
    expect(await rig.breakGlass.extend()).toEqual({ ok: true });
    expect(lastState(rig)?.dialog).toMatchObject({ extending: true, maxMinutes: 70 });
    const form = {
      scope: 'patient' as const,
      patient: 'Patient/p-1005',
      reasonCode: 'urgent-consult',
      reasonText: 'Still resuscitating',
      attested: true as const,
    };
    expect(await rig.breakGlass.confirm({ ...form, durationMinutes: 71 })).toMatchObject({ ok: false });
    expect(await rig.breakGlass.confirm({ ...form, durationMinutes: 70 })).toEqual({ ok: true });
    await rig.stepUp('s1', 'u-ana', true);
    expect(rig.server.active().map((g) => g.id)).toEqual(['bg-2']);
    expect(stops(rig)).toEqual(['extended']);
    await rig.advance(60 * 60_000);
    expect(lastState(rig)?.grant?.canExtend).toBe(false);
    expect(await rig.breakGlass.extend()).toMatchObject({ ok: false });
    await rig.advance(10 * 60_000);
    expect(rig.server.active()).toEqual([]);
  });

  it('warns from the policy count of episodes in 30 days; above the limit a second clinician co-signs with badge + PIN', async () => {
    const rig = breakGlassRig({ frequency: { warnAt: 3, cosignAbove: 4 } });
    await rig.lifecycle('shown', 's1', 'u-ana');
    rig.episodes['u-ana'] = 2;
    await rig.breakGlass.open();
    expect(lastState(rig)?.dialog).toMatchObject({
      episodesIn30Days: 3,
      frequencyWarning: expect.stringContaining('3'),
    });
    expect(lastState(rig)?.dialog?.cosign).toBeUndefined();
    expect(rig.breakGlass.takesBadge()).toBe(false);
    rig.breakGlass.cancel();

    rig.episodes['u-ana'] = 4;
    expect(await rig.breakGlass.openLink(LINK)).toEqual({ ok: true });
    expect(lastState(rig)?.dialog?.cosign).toEqual({ verified: false });
    expect(rig.breakGlass.takesBadge()).toBe(true);
    const form = {
      scope: 'patient' as const,
      patient: 'Patient/p-1005',
      reasonCode: 'emergency-care',
      reasonText: 'x',
      attested: true as const,
      durationMinutes: 60,
    };
    expect(await rig.breakGlass.confirm(form)).toMatchObject({
      ok: false,
      message: expect.stringContaining('co-sign'),
    });
    expect(await rig.breakGlass.cosignPin('4826')).toMatchObject({ ok: false });
    await rig.breakGlass.cosignBadge('badge:u-ana');
    expect(lastState(rig)?.dialog?.cosign?.error).toMatch(/another clinician/);
    await rig.breakGlass.cosignBadge('badge:u-cara');
    expect(lastState(rig)?.dialog?.cosign?.error).toMatch(/may not co-sign/);
    await rig.breakGlass.cosignBadge('unknown');
    expect(lastState(rig)?.dialog?.cosign?.error).toMatch(/not enrolled/);
    await rig.breakGlass.cosignBadge('badge:u-ben');
    expect(lastState(rig)?.dialog?.cosign).toEqual({ verified: false, cosigner: 'Dr u-ben' });
    expect(await rig.breakGlass.cosignPin('0000')).toMatchObject({ ok: false });
    expect(await rig.breakGlass.cosignPin('4826')).toEqual({ ok: true });
    expect(rig.breakGlass.takesBadge()).toBe(false);
    expect(await rig.breakGlass.confirm(form)).toEqual({ ok: true });
    await rig.stepUp('s1', 'u-ana', true);
    expect(rig.audit.events.find((e) => e.type === 'breakglass.start')?.details).toMatchObject({
      episodesIn30Days: 5,
      cosignedBy: 'u-ben',
    });
  });

  it('a server that cannot be reached at the end leaves its own expiry in force and the grant off the screen', async () => {
    const rig = breakGlassRig();
    await rig.lifecycle('shown', 's1', 'u-ana');
    await rig.grant('s1', 'u-ana', 15);
    rig.server.down = true;
    await rig.breakGlass.endNow();
    expect(lastState(rig)?.grant).toBeUndefined();
    rig.server.down = false;
    await rig.advance(15 * 60_000);
    expect(rig.server.active()).toEqual([]);
  });
});

const LINK_OF_OTHER_EHR = LINK.replaceAll('4100', '4200');
