import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEvents } from '../../main/audit/journal/journal-reader.js';
import { demoBadgeId } from '../../main/harness/demo.js';
import { hospitalDescriptionSchema } from '../../main/harness/hospital-description.js';
import { DEMO_USERS } from '../../tools/local-idp/demo-users.js';
import { chromiumMissingReason, launchChromium } from '../support/chromium.js';
import { runDemoProcess, startDemoStation, type DemoProcess, type DemoStation } from '../support/demo-process.js';
import { lockScreen, signedInUser } from '../support/e2e-page.js';

const missing = chromiumMissingReason();
if (missing) console.log(`skipped e2e: ${missing}`);

const NURSE = DEMO_USERS.findIndex((u) => u.roles.includes('nurse'));
const nurse = { ...DEMO_USERS[NURSE]!, badgeId: demoBadgeId(NURSE) };

// The bundled demo (out/demo/cli.mjs) as a ward runs it: one process for the hospital's services, and
// workstations in processes of their own that join them (docs/harness.md#several-workstations).
describe.skipIf(missing)('several workstations on one hospital, each in its own process', () => {
  let browser: Browser;
  let root: string;
  let hospital: DemoProcess;
  let hospitalFile: string;
  const running: DemoStation[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    root = await mkdtemp(path.join(tmpdir(), 'careshell-wards-'));
    hospitalFile = path.join(root, 'hospital.json');
    hospital = runDemoProcess(['--serve-hospital', hospitalFile]);
    await hospital.printed(/Described in:/);
  });

  afterAll(async () => {
    for (const station of running) await station.process.stop();
    await hospital?.stop();
    await browser?.close();
    await rm(root, { recursive: true, force: true });
  });

  async function station(name: string): Promise<{ station: DemoStation; page: Page; dataDir: string }> {
    const dataDir = path.join(root, name);
    const started = await startDemoStation(['--hospital', hospitalFile, '--data-dir', dataDir, '--workstation', name]);
    running.push(started);
    const page = await (await browser.newContext()).newPage();
    await page.goto(started.appUrl);
    await lockScreen(page, 'no-user');
    return { station: started, page, dataDir };
  }

  const enrollments = async (dataDir: string) =>
    (await readEvents(path.join(dataDir, 'audit'), undefined, { maxEvents: 10_000 })).events
      .map((e) => e.event)
      .filter((e) => e.type === 'enrollment.enrolled' && e.actor?.userId === nurse.id);

  it('signs the same clinician in on two workstations, each journaling under its own name', async () => {
    const a = await station('WS-A');
    const b = await station('WS-B');
    await a.station.control('/control/tap', { badgeId: nurse.badgeId });
    await expect.poll(() => signedInUser(a.page)).toBe(nurse.displayName);
    // A tap at one workstation is nobody's sign-in at the other.
    expect(await b.page.getByTestId('lock-screen').getAttribute('data-screen')).toBe('no-user');
    await b.station.control('/control/tap', { badgeId: nurse.badgeId });
    await expect.poll(() => signedInUser(b.page)).toBe(nurse.displayName);
    for (const [dataDir, name] of [
      [a.dataDir, 'WS-A'],
      [b.dataDir, 'WS-B'],
    ] as const) {
      const events = (await readEvents(path.join(dataDir, 'audit'), undefined, { maxEvents: 10_000 })).events;
      expect(events.length).toBeGreaterThan(0);
      expect(new Set(events.map((e) => e.event.workstation))).toEqual(new Set([name]));
    }
  });

  it("revokes from a workstation's controls through the hospital's publisher, in another process", async () => {
    const { station: ws } = await station('WS-D');
    const description = hospitalDescriptionSchema.parse(JSON.parse(await readFile(hospitalFile, 'utf8')));
    const listed = async () => {
      const jws = await new Promise<string>((resolve, reject) =>
        get(description.revocationList.url, { ca: description.caPem }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += String(chunk)));
          res.on('end', () => resolve(body));
        }).on('error', reject),
      );
      const payload = JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')) as {
        revoked: { userId: string }[];
      };
      return payload.revoked.map((r) => r.userId);
    };
    expect(await listed()).not.toContain(nurse.id);
    await ws.control('/control/revoke', { userId: nurse.id });
    expect(await listed()).toContain(nurse.id);
    await ws.control('/control/restore', { userId: nurse.id });
    expect(await listed()).not.toContain(nurse.id);
  });

  it('restarts a workstation on its data folder: its clinicians are still enrolled and unlock with their badge', async () => {
    const first = await station('WS-C');
    expect(await enrollments(first.dataDir)).toHaveLength(1);
    await first.station.process.stop();
    expect(await first.station.process.exited).toBe(0);

    const again = await station('WS-C');
    await again.station.control('/control/tap', { badgeId: nurse.badgeId });
    // A new session after the restart: silent tokens from the provider's refresh token, no new enrollment.
    await expect.poll(() => signedInUser(again.page)).toBe(nurse.displayName);
    expect(await enrollments(again.dataDir)).toHaveLength(1);
  });
});
