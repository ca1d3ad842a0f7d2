import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/manual-clock.js';
import { BreakGlassRefused } from '../../../main/break-glass/break-glass-adapter.js';
import { ehrHandoverUrl, grantApiAdapter } from '../../../main/break-glass/grant-api-adapter.js';
import { startDemoEhr, type DemoEhr } from '../../../tools/demo-ehr/demo-ehr.js';
import { startLocalIdp, type LocalIdp } from '../../../tools/local-idp/local-idp.js';
import { TestBrowser } from '../../tools/demo-ehr/support/test-browser.js';

/** The grant API adapter CareShell uses, against the real demo EHR and local provider (docs/break-glass-api.md). */
describe('grantApiAdapter against the demo EHR', () => {
  let idp: LocalIdp;
  let ehr: DemoEhr;
  const clock = new ManualClock(new Date());
  const tokens: Record<string, string> = {};
  const browsers: Record<string, TestBrowser> = {};

  beforeAll(async () => {
    idp = await startLocalIdp();
    ehr = await startDemoEhr({ idp, clock });
    for (const [username, password] of [
      ['ana.nurse', 'demo-nurse'],
      ['cara.billing', 'demo-billing'],
    ] as const) {
      const browser = new TestBrowser(idp.caPem, idp.issuer, { username, password });
      tokens[username] = await browser.desktopAccessToken(idp.clientId);
      browsers[username] = browser;
    }
  });
  afterAll(async () => {
    await ehr?.close();
    await idp?.stop();
  });

  const request = (patient: string, durationMinutes = 60) => ({
    scope: { kind: 'patient' as const, patient },
    reason: { code: 'emergency-care', text: 'Collapsed, no history' },
    attestation: true as const,
    durationMinutes,
  });

  it('activates, reads and ends a grant; the chart opens only while it is active on the server', async () => {
    const adapter = grantApiAdapter(`${ehr.origin}/`);
    expect(adapter.origin).toBe(ehr.origin);
    const handover = await ehrHandoverUrl(ehr.origin, tokens['ana.nurse']!, '/patients/p-1005');
    const nurse = browsers['ana.nurse']!;
    expect((await nurse.open(handover)).status).toBe(403);

    const grant = await adapter.activate(tokens['ana.nurse']!, request('Patient/p-1005'));
    expect(grant).toMatchObject({ status: 'active', secondsLeft: 3600 });
    expect((await nurse.open(`${ehr.origin}/patients/p-1005`)).status).toBe(200);
    clock.advance(10 * 60_000);
    expect(await adapter.status(tokens['ana.nurse']!, grant.id)).toMatchObject({ status: 'active', secondsLeft: 3000 });

    expect(await adapter.end(tokens['ana.nurse']!, grant.id)).toMatchObject({ status: 'ended' });
    expect((await nurse.open(`${ehr.origin}/patients/p-1005`)).status).toBe(403);
    // Idempotent.
    expect(await adapter.end(tokens['ana.nurse']!, grant.id)).toMatchObject({ status: 'ended' });
  });

  it('expires on the server clock', async () => {
    const adapter = grantApiAdapter(ehr.origin);
    const grant = await adapter.activate(tokens['ana.nurse']!, request('Patient/p-1005', 15));
    clock.advance(15 * 60_000);
    expect(await adapter.status(tokens['ana.nurse']!, grant.id)).toMatchObject({ status: 'expired', secondsLeft: 0 });
    expect((await browsers['ana.nurse']!.open(`${ehr.origin}/patients/p-1005`)).status).toBe(403);
  });

  it("refuses with the server's words: a billing clerk, a bad token, someone else's grant", async () => {
    const adapter = grantApiAdapter(ehr.origin);
    await expect(adapter.activate(tokens['cara.billing']!, request('Patient/p-1001'))).rejects.toMatchObject({
      name: 'BreakGlassRefused',
      status: 403,
    });
    await expect(adapter.activate('not-a-token', request('Patient/p-1001'))).rejects.toBeInstanceOf(BreakGlassRefused);
    const grant = await adapter.activate(tokens['ana.nurse']!, request('Patient/p-1005'));
    await expect(adapter.end(tokens['cara.billing']!, grant.id)).rejects.toMatchObject({ status: 404 });
    await adapter.end(tokens['ana.nurse']!, grant.id);
  });

  it('says clearly when the EHR cannot be reached', async () => {
    const adapter = grantApiAdapter('http://127.0.0.1:9');
    await expect(adapter.status('t', 'bg-1')).rejects.toThrow(/could not be reached/);
  });
});
