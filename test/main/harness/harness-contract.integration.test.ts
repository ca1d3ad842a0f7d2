import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, connect, startTestHarness as start, view } from './test-harness.js';

afterEach(cleanUp);

describe('harness server: the contract over a loopback WebSocket', () => {
  it('carries requests through the same validation as Electron IPC, and pushes events', async () => {
    const { server, warnings, push } = await start();
    const client = connect(server);
    await client.opened;
    client.ws.send(JSON.stringify({ id: 1, channel: 'session:get-view' }));
    client.ws.send(JSON.stringify({ id: 2, channel: 'session:submit-pin', payload: { pin: 'x' } }));
    client.ws.send('not json at all');
    client.ws.send(JSON.stringify({ id: 3, channel: 7 }));
    push()!('session:view', view);
    const frames = await client.next(4);
    expect(frames).toContainEqual({ id: 1, outcome: { ok: true, result: view } });
    expect(frames).toContainEqual({
      id: 2,
      outcome: { ok: false, error: 'Rejected session:submit-pin: pin: A PIN is 4 to 12 digits.' },
    });
    expect(frames).toContainEqual({
      id: 3,
      outcome: { ok: false, error: expect.stringMatching(/^Rejected a malformed frame: channel:/) },
    });
    expect(frames).toContainEqual({ event: 'session:view', payload: view });
    expect(warnings).toContain('harness: dropped a frame that is not JSON');
  });

  it("refuses a WebSocket from another origin or without this run's token", async () => {
    const { server, warnings } = await start();
    await expect(connect(server, { origin: 'http://evil.example' }).opened).rejects.toThrow('HTTP 403');
    await expect(connect(server, { token: 'guess' }).opened).rejects.toThrow('HTTP 403');
    expect(warnings.filter((w) => /refused a WebSocket/.test(w))).toHaveLength(2);
  });

  it('serves the renderer with the bridge first (deferred), under a strict CSP (path escapes: static-files.test.ts)', async () => {
    const { server } = await start();
    const page = await fetch(`${server.origin}/`);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    // First in <head> and deferred: it runs before the renderer's module scripts without blocking the parser.
    expect(await page.text()).toMatch(/<head>\s*<script defer src="\/harness\/bridge.js"><\/script>/);
    expect((await fetch(`${server.origin}/%E0%A4%A`)).status).toBe(404);
  });

  it('control routes need the token and a valid body, and say what was wrong', async () => {
    const { server, taps } = await start();
    const post = (route: string, body: string) =>
      fetch(`${server.origin}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(await (await post('/control/tap', JSON.stringify({ badgeId: 'H10301:100:1001' }))).json()).toEqual({
      ok: false,
      message: 'Missing or wrong token.',
    });
    const bad = await post('/control/tap', '{"badgeId": ');
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toMatch(/^The body is not valid JSON/);
    expect(
      (await (await post('/control/tap', JSON.stringify({ token: server.token, badgeId: '' }))).json()).message,
    ).toMatch(/^badgeId:/);
    expect(
      (await (await post('/control/advance', JSON.stringify({ token: server.token, ms: 10 }))).json()).message,
    ).toMatch(/real clock/);
    expect(
      await (await post('/control/tap', JSON.stringify({ token: server.token, badgeId: 'H10301:100:1001' }))).json(),
    ).toEqual({ ok: true, message: 'tap done' });
    expect(taps).toEqual(['H10301:100:1001']);
  });

  it('revoke and restore publish the next revocation list, for demo users only, with the token', async () => {
    const { server, revocations } = await start();
    const post = async (route: string, body: Record<string, unknown>) =>
      (await fetch(`${server.origin}${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.json())) as { ok: boolean; message: string };
    expect(await post('/control/revoke', { userId: 'u-nurse' })).toEqual({
      ok: false,
      message: 'Missing or wrong token.',
    });
    expect(await post('/control/revoke', { token: server.token, userId: 'u-other' })).toEqual({
      ok: false,
      message: 'Not a demo user.',
    });
    expect(await post('/control/revoke', { token: server.token, userId: 'u-nurse' })).toEqual({
      ok: true,
      message: 'revocation list 2 published',
    });
    expect(await post('/control/restore', { token: server.token, userId: 'u-nurse' })).toMatchObject({ ok: true });
    expect(revocations).toEqual(['revoke u-nurse', 'restore u-nurse']);
    const page = await (await fetch(`${server.origin}/control?token=${server.token}`)).text();
    expect(page).toContain('<button>Revoke Nurse</button>');
    expect(page).toContain('<button>Restore Nurse</button>');
  });
});
