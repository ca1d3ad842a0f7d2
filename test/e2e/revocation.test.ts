import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../common/manual-clock.js';
import { createTestCa, type TestCa } from '../../tools/local-idp/test-ca.js';
import { startRevocationServer, type RevocationServer } from '../../tools/revocation-server/revocation-server.js';
import type { BrowserDemo } from '../support/browser-demo.js';
import { useBrowserDemo } from '../support/browser-demo.js';
import { chromiumMissingReason } from '../support/chromium.js';
import { lockScreen } from '../support/e2e-page.js';

const missing = chromiumMissingReason();
if (missing) console.log(`skipped e2e: ${missing}`);

/** The poll interval of these tests' policy: short, so each step is one interval of manual time. */
const POLL_SECONDS = 10;

/**
 * The signed revocation list end to end (docs/temporary-access.md#revocation-list): two workstations (two demo
 * harnesses, each with its own data folder, identity provider, journal and page in Chromium) follow one
 * hospital publisher (tools/revocation-server) over HTTPS. Time is manual: one poll interval is advanced on each.
 */
describe.skipIf(missing)('revocation list on two workstations', () => {
  const fixture = useBrowserDemo();
  let ca: TestCa;
  let dataDir: string;
  let server: RevocationServer;
  const serverClock = new ManualClock();

  beforeAll(async () => {
    ca = createTestCa('hospital revocation CA');
    dataDir = await mkdtemp(path.join(tmpdir(), 'careshell-e2e-revocation-'));
    server = await startRevocationServer({
      tls: ca.issueServerCert({ dns: ['localhost'], ips: ['127.0.0.1'] }),
      dataDir,
      clock: serverClock,
    });
  });

  afterAll(async () => {
    await server?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const list = (w: BrowserDemo) => w.demo.run.parts()?.revocationList?.status();

  async function workstation(): Promise<BrowserDemo> {
    const w = await fixture.open({ revocation: { server, caPem: ca.caPem, pollSeconds: POLL_SECONDS } });
    // The first fetch comes within the first fifth of an interval after the start.
    await w.demo.control('/control/advance', { ms: POLL_SECONDS * 1000 });
    await expect.poll(() => list(w)?.sequence).toBe(server.served().sequence);
    return w;
  }

  /** One poll interval of manual time: the poll armed after the last one fires (that one finished long before). */
  async function onePoll(w: BrowserDemo): Promise<void> {
    await w.demo.control('/control/advance', { ms: POLL_SECONDS * 1000 });
  }

  /** A poll now, awaited: for steps where what is checked is the list's handling, not the timing. */
  const pollNow = (w: BrowserDemo) => w.demo.run.parts()!.revocationList!.pollNow();

  async function signIn(w: BrowserDemo, role: string): Promise<void> {
    await w.demo.tapAfterDebounce(w.demo.user(role).badgeId);
    await w.page
      .getByTestId('signed-in-user')
      .filter({ hasText: w.demo.user(role).displayName })
      .waitFor();
  }

  it('a list revoking a user ends their sessions on both workstations within one poll interval', async () => {
    const a = await workstation();
    const b = await workstation();
    await signIn(a, 'nurse');
    await signIn(b, 'nurse');
    const nurse = a.demo.user('nurse');

    const started = performance.now();
    const sequence = await server.revoke(nurse.userId, 'left the hospital');
    await Promise.all([onePoll(a), onePoll(b)]);
    await Promise.all([lockScreen(a.page, 'no-user'), lockScreen(b.page, 'no-user')]);
    const elapsedMs = performance.now() - started;
    // One interval of manual time, plus the real time of one HTTPS fetch and the apply on each.
    expect(elapsedMs).toBeLessThan(POLL_SECONDS * 1000);

    for (const w of [a, b]) {
      expect(list(w)).toMatchObject({ sequence, revokedCount: 1 });
      expect(w.demo.workstation.identity.revocations.reasonFor(nurse.userId)).toBe('left the hospital');
      // Enrollment (badge, PIN, tokens) erased: the badge is nobody's now.
      expect(
        await w.demo.workstation.identity.directory.resolveBadge(w.demo.workstation.hashBadge(nurse.badgeId)),
      ).toBeUndefined();
      const audited = await w.demo.audited();
      expect(audited.filter((e) => e.type === 'revocation.list.applied').at(-1)).toMatchObject({
        details: { sequence, added: 1 },
      });
      expect(audited.filter((e) => e.type === 'revocation.apply')).toEqual([
        expect.objectContaining({
          actor: { userId: nurse.userId },
          details: expect.objectContaining({ unenrolled: true }),
        }),
      ]);
      expect(audited.filter((e) => e.type === 'session.terminated').at(-1)).toMatchObject({
        actor: expect.objectContaining({ userId: nurse.userId }),
        reason: expect.stringContaining('revocation list: left the hospital'),
      });
    }
    // Taken off the list, the account may enroll again (it is not restored by itself).
    await server.restore(nurse.userId);
    await pollNow(a);
    expect(a.demo.workstation.identity.revocations.reasonFor(nurse.userId)).toBeUndefined();
    expect(
      await a.demo.workstation.identity.directory.resolveBadge(a.demo.workstation.hashBadge(nurse.badgeId)),
    ).toBeUndefined();
  });

  it('a tampered list and a stale list are refused, the last good one kept and the problem reported once', async () => {
    const w = await workstation();
    await signIn(w, 'nurse');
    const nurse = w.demo.user('nurse');
    const good = await server.revoke('u-someone-else', 'badge stolen');
    await pollNow(w);
    expect(list(w)?.sequence).toBe(good);

    // A list that revokes the nurse, but whose payload was changed after signing.
    await server.revoke(nurse.userId, 'left the hospital');
    const [header, payload, signature] = server.served().jws.split('.');
    const forged = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as { revoked: unknown[] };
    forged.revoked = [...forged.revoked, { userId: 'u-extra', reason: 'x', revokedAt: '2026-01-01T08:00:00Z' }];
    server.serveRaw(`${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`);
    await pollNow(w);
    expect(list(w)?.problem?.code).toBe('bad-signature');
    await pollNow(w);
    expect(list(w)?.sequence).toBe(good);
    expect(await w.page.getByTestId('signed-in-user').textContent()).toBe(nurse.displayName);

    // A correctly signed list, but issued two hours ago: stale, refused too.
    await server.publish({ issuedAt: new Date(serverClock.wallTime().getTime() - 2 * 3_600_000) });
    await pollNow(w);
    expect(list(w)?.problem?.code).toBe('stale');
    expect(list(w)?.sequence).toBe(good);
    expect(await w.page.getByTestId('signed-in-user').textContent()).toBe(nurse.displayName);

    const refused = (await w.demo.audited()).filter((e) => e.type === 'revocation.list.refused');
    expect(refused.map((e) => e.details?.problem)).toEqual(['bad-signature', 'stale']);
    expect(refused.every((e) => e.details?.keptSequence === good)).toBe(true);
  });
});
