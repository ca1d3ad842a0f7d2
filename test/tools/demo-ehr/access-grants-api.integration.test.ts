import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/manual-clock.js';
import { startDemoEhr, type DemoEhr } from '../../../tools/demo-ehr/demo-ehr.js';
import { startLocalIdp, type LocalIdp } from '../../../tools/local-idp/local-idp.js';
import { TestBrowser } from './support/test-browser.js';

const MINUTE = 60_000;

describe('demo EHR just-in-time access grants (docs/access-grants-api.md)', () => {
  let idp: LocalIdp;
  let ehr: DemoEhr;
  const clock = new ManualClock(new Date());
  const browsers: Record<string, TestBrowser> = {};
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    idp = await startLocalIdp();
    ehr = await startDemoEhr({ idp, clock });
    for (const [username, password] of [
      ['ana.nurse', 'demo-nurse'],
      ['ben.er', 'demo-er'],
      ['cara.billing', 'demo-billing'],
      ['dan.privacy', 'demo-privacy'],
    ] as const) {
      const browser = new TestBrowser(idp.caPem, idp.issuer, { username, password });
      tokens[username] = await browser.desktopAccessToken(idp.clientId);
      expect((await browser.open(`${ehr.origin}/`)).status).toBe(200);
      browsers[username] = browser;
    }
  });

  afterAll(async () => {
    await ehr?.close();
    await idp?.stop();
  });

  const page = (username: string, path: string) => browsers[username]!.open(`${ehr.origin}${path}`);

  async function api(method: string, path: string, token: string | undefined, body?: unknown) {
    const response = await fetch(`${ehr.origin}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  const request = (scope: object, approval: object, durationMinutes = 30) => ({
    scope,
    purpose: { code: 'covering-unit', text: 'Covering the ED for the night shift' },
    durationMinutes,
    approval,
  });
  const byBen = () => ({ kind: 'approver', accessToken: tokens['ben.er']! });

  it('a low-risk unit grant opens the unit census and its ordinary charts, never its confidential ones', async () => {
    expect((await page('ana.nurse', '/units/unit-ed')).status).toBe(403);
    expect((await page('ana.nurse', '/patients/p-1004')).status).toBe(403);
    const granted = await api(
      'POST',
      '/access/grants',
      tokens['ana.nurse'],
      request({ kind: 'unit', unit: 'unit-ed' }, { kind: 'auto' }),
    );
    expect(granted.status).toBe(201);
    expect(granted.json).toMatchObject({
      status: 'active',
      approval: { kind: 'auto' },
      secondsLeft: 30 * 60,
      open: `${ehr.origin}/units/unit-ed`,
    });
    const census = await page('ana.nurse', '/units/unit-ed');
    expect(census.status).toBe(200);
    expect(census.body).toContain('id="unit-census"');
    expect(census.body).toContain(String(granted.json.id));
    expect((await page('ana.nurse', '/patients/p-1004')).status).toBe(200);
    // p-1006 is very restricted: a unit grant lifts only "not your unit".
    expect((await page('ana.nurse', '/patients/p-1006')).status).toBe(403);
    // Another unit stays closed.
    expect((await page('ana.nurse', '/units/unit-bh')).status).toBe(403);
    const ended = await api('DELETE', `/access/grants/${String(granted.json.id)}`, tokens['ana.nurse']);
    expect(ended.json).toMatchObject({ status: 'ended', secondsLeft: 0 });
    expect((await page('ana.nurse', '/patients/p-1004')).status).toBe(403);
    expect((await page('ana.nurse', '/units/unit-ed')).status).toBe(403);
  });

  it('refuses auto-approval of a scope the EHR does not call low-risk', async () => {
    const refused = await api(
      'POST',
      '/access/grants',
      tokens['ana.nurse'],
      request({ kind: 'role', role: 'charge-nurse' }, { kind: 'auto' }),
    );
    expect(refused).toMatchObject({ status: 403, json: { error: 'approval_required' } });
  });

  it('refuses self-approval and an approver of a wrong role, checked at the identity provider', async () => {
    const self = await api(
      'POST',
      '/access/grants',
      tokens['ana.nurse'],
      request({ kind: 'patient', patient: 'Patient/p-1005' }, { kind: 'approver', accessToken: tokens['ana.nurse'] }),
    );
    expect(self).toMatchObject({ status: 403, json: { error: 'self_approval' } });
    const clerk = await api(
      'POST',
      '/access/grants',
      tokens['ana.nurse'],
      request(
        { kind: 'patient', patient: 'Patient/p-1005' },
        { kind: 'approver', accessToken: tokens['cara.billing'] },
      ),
    );
    expect(clerk).toMatchObject({ status: 403, json: { error: 'approver_role' } });
    const forged = await api(
      'POST',
      '/access/grants',
      tokens['ana.nurse'],
      request({ kind: 'patient', patient: 'Patient/p-1005' }, { kind: 'approver', accessToken: 'not-a-token' }),
    );
    expect(forged).toMatchObject({ status: 403, json: { error: 'approval_invalid' } });
    expect((await page('ana.nurse', '/patients/p-1005')).status).toBe(403);
  });

  it('refuses a requester without a clinical role, durations beyond the scope, unknown units and roles', async () => {
    const clerk = await api(
      'POST',
      '/access/grants',
      tokens['cara.billing'],
      request({ kind: 'unit', unit: 'unit-ed' }, { kind: 'auto' }),
    );
    expect(clerk.status).toBe(403);
    const long = await api(
      'POST',
      '/access/grants',
      tokens['ana.nurse'],
      request({ kind: 'patient', patient: 'Patient/p-1005' }, byBen(), 241),
    );
    expect(long.status).toBe(400);
    const unit = await api(
      'POST',
      '/access/grants',
      tokens['ana.nurse'],
      request({ kind: 'unit', unit: 'unit-x' }, { kind: 'auto' }),
    );
    expect(unit.status).toBe(404);
    const role = await api(
      'POST',
      '/access/grants',
      tokens['ana.nurse'],
      request({ kind: 'role', role: 'it-admin' }, byBen()),
    );
    expect(role.status).toBe(403);
    expect(
      (await api('POST', '/access/grants', undefined, request({ kind: 'unit', unit: 'unit-ed' }, { kind: 'auto' })))
        .status,
    ).toBe(401);
  });

  it('an approved patient grant opens that chart, logged under the grant, until the server-side expiry', async () => {
    const granted = await api(
      'POST',
      '/access/grants',
      tokens['ana.nurse'],
      request({ kind: 'patient', patient: 'Patient/p-1006' }, byBen(), 10),
    );
    expect(granted.status).toBe(201);
    expect(granted.json).toMatchObject({ approval: { kind: 'approver', sub: 'u-er-ben' } });
    const opened = await page('ana.nurse', '/patients/p-1006');
    expect(opened.status).toBe(200);
    expect(opened.body).toContain('id="jit-grant"');
    const log = await api(
      'GET',
      `/fhir/AuditEvent?policy=${encodeURIComponent(`${ehr.origin}/access/grants/${String(granted.json.id)}`)}`,
      tokens['dan.privacy'],
    );
    expect(log.status).toBe(200);
    expect((log.json.entry as unknown[]).length).toBe(1);
    clock.advance(10 * MINUTE - 1);
    expect((await page('ana.nurse', '/patients/p-1006')).status).toBe(200);
    clock.advance(1);
    expect((await page('ana.nurse', '/patients/p-1006')).status).toBe(403);
    expect((await api('GET', `/access/grants/${String(granted.json.id)}`, tokens['ana.nurse'])).json).toMatchObject({
      status: 'expired',
    });
    // Only the holder sees a grant.
    expect((await api('GET', `/access/grants/${String(granted.json.id)}`, tokens['ben.er'])).status).toBe(404);
  });

  it('an approved charge-nurse role opens the staffing board until it is ended', async () => {
    expect((await page('ana.nurse', '/staffing')).status).toBe(403);
    const granted = await api(
      'POST',
      '/access/grants',
      tokens['ana.nurse'],
      request({ kind: 'role', role: 'charge-nurse' }, byBen()),
    );
    expect(granted.json).toMatchObject({ open: `${ehr.origin}/staffing` });
    const board = await page('ana.nurse', '/staffing');
    expect(board.status).toBe(200);
    expect(board.body).toContain('id="staffing"');
    expect(board.body).toContain('Dr Hana Lee');
    await api('DELETE', `/access/grants/${String(granted.json.id)}`, tokens['ana.nurse']);
    expect((await page('ana.nurse', '/staffing')).status).toBe(403);
  });
});
