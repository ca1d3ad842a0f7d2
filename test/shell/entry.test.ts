import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type * as FakeElectron from './support/fake-electron.js';

vi.mock('electron', () => import('./support/fake-electron.js'));

type Fake = typeof FakeElectron;
let dir: string;
const saved = { ...process.env };

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'careshell-entry-'));
  // A missing policy file, and no system bus: the entry's real Linux screen-lock follower fails quietly.
  process.env.CARESHELL_POLICY = path.join(dir, 'policy.json');
  process.env.DBUS_SYSTEM_BUS_ADDRESS = `unix:path=${path.join(dir, 'no-bus')}`;
  vi.resetModules();
});
afterEach(async () => {
  process.env = { ...saved };
  await rm(dir, { recursive: true, force: true });
});

/** A fresh fake (the one index.ts will get), prepared, then the entry run on it. */
async function runEntry(prepare: (fake: Fake) => void): Promise<Fake> {
  // Through 'electron' itself: the very instance the mock hands to index.ts.
  const fake = (await import('electron')) as unknown as Fake;
  fake.resetFakeElectron();
  fake.app.userData = path.join(dir, 'user-data');
  prepare(fake);
  await import('../../main/shell/index.js');
  return fake;
}

it('index.ts registers app:// before ready, then builds the host and serves the renderer on a locked stage', async () => {
  const fake = await runEntry(() => {});
  await vi.waitFor(() => expect(fake.BrowserWindow.getAllWindows()).toHaveLength(1));
  const [main] = fake.BrowserWindow.getAllWindows();
  expect(fake.protocol.registeredAfterReady).toBe(false);
  expect(fake.protocol.privileged.map((s) => s.scheme)).toEqual(['app']);
  await vi.waitFor(() => expect(main!.webContents.loaded).toEqual(['app://careshell/index.html']));
  expect(main!.alwaysOnTop.flag).toBe(true);
  expect(fake.app.exitCode).toBeUndefined();
});

it('a second CareShell process quits and leaves the screen to the first', async () => {
  const fake = await runEntry((f) => {
    f.app.singleInstance = false;
  });
  expect(fake.app.quitRequests).toBe(1);
  expect(fake.BrowserWindow.getAllWindows()).toEqual([]);
});
