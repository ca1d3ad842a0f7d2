import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/manual-clock.js';
import { parseBreakGlassLink } from '../../../common/break-glass-link.js';
import { startDemoEhr, type DemoEhr } from '../../../tools/demo-ehr/demo-ehr.js';
import { startLocalIdp, type LocalIdp } from '../../../tools/local-idp/local-idp.js';
import { TestBrowser } from './support/test-browser.js';

const MINUTE = 60_000;

describe('demo EHR against the local OpenID provider', () => {
  let idp: LocalIdp;
  let ehr: DemoEhr;
  // Wall time starts at the real time so the provider's tokens verify; deadlines move only when the test says.
  const clock = new ManualClock(new Date());
  const browsers: Record<string, TestBrowser> = {};
  const tokens: Record<string, string> = {};
  /** What each browser had typed and consented to at the provider before it first opened the EHR. */
  const beforeEhr: Record<string, { passwords: number; consents: number; ehrCookies: number }> = {};

  const browserFor = (username: string, password: string) =>
    new TestBrowser(idp.caPem, idp.issuer, { username, password });

  beforeAll(async () => {
    idp = await startLocalIdp();
    ehr = await startDemoEhr({ idp, clock });
    for (const [username, password] of [
      ['ana.nurse', 'demo-nurse'],
      ['ben.er', 'demo-er'],
      ['cara.billing', 'demo-billing'],
      ['dan.privacy', 'demo-privacy'],
    ] as const) {
      const browser = browserFor(username, password);
      tokens[username] = await browser.desktopAccessToken(idp.clientId);
      beforeEhr[username] = {
        passwords: browser.passwordsTyped,
        consents: browser.consentsGiven,
        ehrCookies: browser.jars.get(ehr.origin)?.size ?? 0,
      };
      // Signed in to the EHR before the test moves the clock: ID tokens are verified against the EHR's clock.
      expect((await browser.open(`${ehr.origin}/`)).status).toBe(200);
      browsers[username] = browser;
    }
  });

  afterAll(async () => {
    await ehr?.close();
    await idp?.stop();
  });

  const chart = (username: string, patient: string) => browsers[username]!.open(`${ehr.origin}/patients/${patient}`);

  async function api(method: string, path: string, token: string | undefined, body?: unknown) {
    const response = await fetch(`${ehr.origin}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return {
      status: response.status,
      headers: response.headers,
      json: (await response.json()) as Record<string, unknown>,
    };
  }

  const activation = (patient: string, extra: object = {}) => ({
    scope: { kind: 'patient', patient },
    reason: { code: 'emergency-care', text: 'Collapsed in the ED, no history available' },
    attestation: true,
    durationMinutes: 60,
    ...extra,
  });

  it('a clinician already signed in at the provider gets into the EHR without typing a password or consenting', async () => {
    const ana = browsers['ana.nurse']!;
    // She typed her password once, for CareShell's own sign-in, and had no EHR session before.
    expect(beforeEhr['ana.nurse']).toEqual({ passwords: 1, consents: 1, ehrCookies: 0 });
    expect(ana.passwordsTyped).toBe(1);
    expect(ana.consentsGiven).toBe(1);
    const list = await ana.open(`${ehr.origin}/`);
    expect(list.status).toBe(200);
    expect(list.body).toContain('Ana Lopez, RN');
    expect(list.body).toContain('Maria Gonzalez');
    const cookie = [...(ana.jars.get(ehr.origin) ?? new Map()).keys()];
    expect(cookie).toEqual([expect.stringMatching(/^ehr\d+_session$/)]);
  });

  it('sets the session cookie HttpOnly and SameSite=Lax, and sends the page with a script-free CSP', async () => {
    const fresh = browserFor('ana.nurse', 'demo-nurse');
    const atCallback = await fresh.open(`${ehr.origin}/`, (u) => u.pathname === '/oidc/callback');
    const callback = await fresh.send(new URL(atCallback.url));
    expect(callback.status).toBe(303);
    const setCookie = String(callback.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(fresh.passwordsTyped).toBe(1);
    const page = await fresh.open(`${ehr.origin}/patients/p-1001`);
    expect(page.headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-/);
    expect(page.body).not.toMatch(/<script/i);
  });

  it('opens own-unit and care-team charts, restricts the others with a plain break-glass link', async () => {
    expect((await chart('ana.nurse', 'p-1002')).status).toBe(200);
    expect((await chart('ana.nurse', 'p-1010')).status).toBe(200);
    const restricted = await chart('ana.nurse', 'p-1005');
    expect(restricted.status).toBe(403);
    expect(restricted.body).not.toContain('Adeyemi');
    const href = /id="break-glass" href="([^"]+)"/.exec(restricted.body)?.[1]?.replace(/&amp;/g, '&');
    expect(parseBreakGlassLink(href!)).toEqual({
      ehr: ehr.origin,
      patient: 'Patient/p-1005',
      restrictions: ['other-unit'],
      chart: `${ehr.origin}/patients/p-1005`,
    });
    const vip = await chart('ben.er', 'p-1006');
    expect(vip.status).toBe(403);
    expect(vip.body).toContain('restrictions=confidential');
  });

  it('never offers break-glass to the billing clerk, and refuses her activation', async () => {
    const page = await chart('cara.billing', 'p-1001');
    expect(page.status).toBe(403);
    expect(page.body).not.toContain('careshell:');
    expect(page.body).toContain('does not include emergency');
    const refused = await api('POST', '/break-glass/grants', tokens['cara.billing'], activation('Patient/p-1001'));
    expect(refused.status).toBe(403);
  });

  it('a grant opens the restricted chart until the server-side expiry, then the chart is restricted again', async () => {
    const created = await api('POST', '/break-glass/grants', tokens['ana.nurse'], activation('Patient/p-1005'));
    expect(created.status).toBe(201);
    const id = String(created.json.id);
    expect(created.headers.get('location')).toBe(`${ehr.origin}/break-glass/grants/${id}`);
    expect(created.json).toMatchObject({ status: 'active', secondsLeft: 3600, holder: { sub: 'u-nurse-ana' } });
    expect(Date.parse(String(created.json.expiresAt)) - Date.parse(String(created.json.issuedAt))).toBe(60 * MINUTE);

    const opened = await chart('ana.nurse', 'p-1005');
    expect(opened.status).toBe(200);
    expect(opened.body).toContain('Grace Adeyemi');
    expect(opened.body).toContain(id);
    // The grant is hers alone.
    expect((await chart('ben.er', 'p-1006')).status).toBe(403);
    expect((await api('GET', `/break-glass/grants/${id}`, tokens['ben.er'])).status).toBe(404);

    clock.advance(45 * MINUTE);
    expect((await api('GET', `/break-glass/grants/${id}`, tokens['ana.nurse'])).json).toMatchObject({
      status: 'active',
      secondsLeft: 900,
    });
    clock.advance(15 * MINUTE);
    expect((await api('GET', `/break-glass/grants/${id}`, tokens['ana.nurse'])).json).toMatchObject({
      status: 'expired',
      secondsLeft: 0,
    });
    expect((await chart('ana.nurse', 'p-1005')).status).toBe(403);
    const fhir = await api('GET', '/fhir/MedicationRequest?patient=Patient/p-1005', tokens['ana.nurse']);
    expect(fhir.status).toBe(403);
    expect(fhir.headers.get('link')).toMatch(/^<careshell:break-glass\?/);
  });

  it('ending a grant closes the chart at once and ending again changes nothing', async () => {
    const { json } = await api('POST', '/break-glass/grants', tokens['ben.er'], {
      ...activation('Patient/p-1006'),
      scope: { kind: 'all-restricted' },
      durationMinutes: undefined,
    });
    expect(json.secondsLeft).toBe(4 * 60 * 60);
    expect((await chart('ben.er', 'p-1006')).status).toBe(200);
    expect((await chart('ben.er', 'p-1008')).status).toBe(200);
    const fhir = await api('GET', '/fhir/Patient/p-1008', tokens['ben.er']);
    expect(fhir.status).toBe(200);
    expect(fhir.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
    expect(fhir.json).toMatchObject({ resourceType: 'Patient', id: 'p-1008' });

    const ended = await api('DELETE', `/break-glass/grants/${String(json.id)}`, tokens['ben.er']);
    expect(ended.json).toMatchObject({ status: 'ended', secondsLeft: 0 });
    expect((await chart('ben.er', 'p-1006')).status).toBe(403);
    clock.advance(MINUTE);
    const again = await api('DELETE', `/break-glass/grants/${String(json.id)}`, tokens['ben.er']);
    expect(again.status).toBe(200);
    expect(again.json.endedAt).toBe(ended.json.endedAt);
    expect((await api('GET', '/break-glass/grants', tokens['ben.er'])).json).toEqual({ grants: [] });
  });

  it.each([
    ['no attestation', { attestation: false }, /attestation must be true/],
    ['a duration over the limit', { durationMinutes: 600 }, /at most 480/],
    ['a duration under the limit', { durationMinutes: 5 }, /at least 15/],
    ['no free-text reason', { reason: { code: 'emergency-care', text: '  ' } }, /reason.text/],
    ['an unknown field', { extra: 1 }, /extra/],
    ['a malformed patient', { scope: { kind: 'patient', patient: 'p-1005' } }, /Patient\/<id>/],
  ])('refuses an activation with %s, saying what is wrong', async (_, extra, message) => {
    const answer = await api('POST', '/break-glass/grants', tokens['ana.nurse'], activation('Patient/p-1005', extra));
    expect(answer.status).toBe(400);
    expect(answer.json.error).toBe('invalid_request');
    expect(String(answer.json.message)).toMatch(message);
  });

  it('refuses requests without a valid bearer token and unknown patients or grants', async () => {
    const none = await api('POST', '/break-glass/grants', undefined, activation('Patient/p-1005'));
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await api('GET', '/break-glass/grants', 'not-a-real-token')).status).toBe(401);
    expect((await api('POST', '/break-glass/grants', tokens['ana.nurse'], activation('Patient/p-9999'))).status).toBe(
      404,
    );
    expect((await api('DELETE', '/break-glass/grants/bg-nope', tokens['ana.nurse'])).status).toBe(404);
    const form = await fetch(`${ehr.origin}/break-glass/grants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens['ana.nurse']}`, 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(form.status).toBe(415);
  });

  it('a shell holding the access token hands the user over to a fresh cookie jar once', async () => {
    const handover = await api('POST', '/sso/handover', tokens['ana.nurse'], { returnTo: '/patients/p-1001' });
    expect(handover.status).toBe(201);
    const fresh = new TestBrowser(idp.caPem, idp.issuer);
    const page = await fresh.open(String(handover.json.url));
    expect(page.status).toBe(200);
    expect(page.body).toContain('Maria Gonzalez');
    const reused = await new TestBrowser(idp.caPem, idp.issuer).open(String(handover.json.url));
    expect(reused.status).toBe(400);
  });

  it('records every chart open and lets only the privacy officer search them as AuditEvents', async () => {
    const denied = await api('GET', '/fhir/AuditEvent?patient=Patient/p-1005', tokens['ana.nurse']);
    expect(denied.status).toBe(403);
    const today = new Date().toISOString().slice(0, 10);
    const found = await api(
      'GET',
      `/fhir/AuditEvent?patient=Patient/p-1005&agent=u-nurse-ana&date=ge${today}`,
      tokens['dan.privacy'],
    );
    expect(found.status).toBe(200);
    const events = (found.json.entry as { resource: { outcome: string; agent: { policy?: string[] }[] } }[]).map(
      (e) => e.resource,
    );
    // restricted, opened under the grant, restricted after expiry (page), restricted (FHIR search)
    expect(events.map((e) => e.outcome)).toEqual(['4', '0', '4', '4']);
    expect(events[1]!.agent[0]!.policy?.[0]).toMatch(new RegExp(`^${ehr.origin}/break-glass/grants/bg-`));
    const viaSession = await browsers['dan.privacy']!.open(`${ehr.origin}/fhir/AuditEvent?outcome=0&agent=u-er-ben`);
    expect(JSON.parse(viaSession.body)).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 3 });
    const bad = await api('GET', '/fhir/AuditEvent?date=yesterday', tokens['dan.privacy']);
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'invalid' }] });
  });

  it('signing out of the EHR drops the session', async () => {
    const ben = browsers['ben.er']!;
    const out = await ben.send(new URL(`${ehr.origin}/logout`), new URLSearchParams());
    expect(out.status).toBe(200);
    expect(ben.jars.get(ehr.origin)?.size ?? 0).toBe(0);
    const again = await ben.send(new URL(`${ehr.origin}/`));
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe('/login?returnTo=%2F');
  });
});
