import { describe, expect, it } from 'vitest';
import { accessGrantApiAdapter } from '../../../main/just-in-time/access-grant-api-adapter.js';
import { JitRefused } from '../../../main/just-in-time/just-in-time-adapter.js';

const EHR = 'http://127.0.0.1:4100';
const GRANT = { id: 'jit-1', status: 'active', expiresAt: '2026-12-06T09:00:00.000Z', secondsLeft: 1800 };

function fakeFetch(status: number, body: unknown) {
  const calls: { url: string; init: RequestInit }[] = [];
  const impl = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof fetch;
  return { calls, impl };
}

const request = {
  scope: { kind: 'role' as const, role: 'charge-nurse' },
  purpose: { code: 'covering-unit', text: 'off sick' },
  durationMinutes: 30,
  approval: { kind: 'approver' as const, accessToken: 'approver-token' },
};

describe('accessGrantApiAdapter (docs/access-grants-api.md)', () => {
  it("POSTs the request with the requester's bearer token and the approver's token in the body", async () => {
    const fetch = fakeFetch(201, { ...GRANT, open: `${EHR}/staffing`, holder: { sub: 'u' } });
    const adapter = accessGrantApiAdapter(`${EHR}/ehr/`, fetch.impl);
    expect(adapter.origin).toBe(EHR);
    expect(await adapter.request('requester-token', request)).toEqual({ ...GRANT, open: `${EHR}/staffing` });
    const [call] = fetch.calls;
    expect(call?.url).toBe(`${EHR}/access/grants`);
    expect(call?.init.method).toBe('POST');
    expect(call?.init.headers).toMatchObject({ authorization: 'Bearer requester-token' });
    expect(JSON.parse(String(call?.init.body))).toEqual(request);
  });

  it('drops a landing page on another origin: the EHR answer is data, not an instruction', async () => {
    const fetch = fakeFetch(201, { ...GRANT, open: 'https://elsewhere.example/phish' });
    expect(await accessGrantApiAdapter(EHR, fetch.impl).request('t', request)).toEqual(GRANT);
  });

  it("turns a refusal into JitRefused with the EHR's words, and a malformed answer into an error", async () => {
    const refused = fakeFetch(403, {
      error: 'self_approval',
      message: 'A request cannot be approved by the person who made it.',
    });
    await expect(accessGrantApiAdapter(EHR, refused.impl).request('t', request)).rejects.toEqual(
      new JitRefused(403, 'A request cannot be approved by the person who made it.'),
    );
    const odd = fakeFetch(200, { id: 'jit-1', status: 'granted' });
    await expect(accessGrantApiAdapter(EHR, odd.impl).status('t', 'jit-1')).rejects.toThrow(/not a grant/);
  });

  it('GETs and DELETEs one grant by its encoded id', async () => {
    const fetch = fakeFetch(200, { ...GRANT, status: 'ended', secondsLeft: 0 });
    const adapter = accessGrantApiAdapter(EHR, fetch.impl);
    await adapter.status('t', 'jit-1');
    await adapter.end('t', 'jit/../1');
    expect(fetch.calls.map((c) => [c.init.method, c.url])).toEqual([
      ['GET', `${EHR}/access/grants/jit-1`],
      ['DELETE', `${EHR}/access/grants/jit%2F..%2F1`],
    ]);
  });
});
