import { afterEach, describe, expect, it, vi } from 'vitest';
import { app, type BrowserWindow, Menu, protocol, safeStorage, screen } from './support/fake-electron.js';
import { startShell, type StartedShell } from './support/start-shell.js';
import { noticeEnglish } from '../support/notice-text.js';
import type { SessionView } from '../../preload/contract.js';

vi.mock('electron', () => import('./support/fake-electron.js'));

const IDENTITY = { clientId: 'careshell', authority: 'https://login.hospital.example/tenant' };
let shell: StartedShell | undefined;
afterEach(async () => {
  await shell?.stop();
  shell = undefined;
});

/** The view the renderer gets when it asks, once the workstation has settled on its first screen. */
async function firstScreen(started: StartedShell): Promise<SessionView> {
  await started.running.ready;
  const outcome = await started.invoke('session:get-view');
  expect(outcome.ok).toBe(true);
  return outcome.result as SessionView;
}

function expectLockedAndAlive(started: StartedShell): void {
  expect(app.exitCode, 'the kiosk never exits on a start problem').toBeUndefined();
  const main = started.host.window as unknown as BrowserWindow;
  expect(main.isDestroyed()).toBe(false);
  expect(main.alwaysOnTop).toEqual({ flag: true, level: 'screen-saver' });
  expect(main.webContents.loaded).toEqual(['app://careshell/index.html']);
}

describe('Electron shell start paths (the real main/shell on a fake electron)', () => {
  it('first start without a policy file: a locked screen that names the file, no exit, no desktop', async () => {
    shell = await startShell();
    const view = await firstScreen(shell);
    expect(view.screen).not.toMatch(/^(active|idle-warning|no-user)$/);
    expect(JSON.stringify(view)).toContain(shell.policyPath);
    expect(shell.running.problem()).toBeDefined();
    expectLockedAndAlive(shell);
  });

  it('an invalid policy: the locked screen names every wrong key', async () => {
    shell = await startShell({
      policy: { version: 1, identity: IDENTITY, session: { idleTimeoutSeconds: 'soon' }, nonsense: 1 },
    });
    const view = await firstScreen(shell);
    expect(view.screen).toBe('policy-error');
    expect(noticeEnglish(view.notice)).toContain('nonsense');
    expect(shell.running.problem()).toMatchObject({ kind: 'invalid-policy', policyPath: shell.policyPath });
    expectLockedAndAlive(shell);
  });

  it('no keyring (Linux basic_text): refused with a reason IT can act on', async () => {
    shell = await startShell({
      policy: { version: 1, identity: IDENTITY },
      beforeStart: () => {
        safeStorage.backend = 'basic_text';
      },
    });
    const view = await firstScreen(shell);
    expect(view.screen).toBe('policy-error');
    expect(noticeEnglish(view.notice)).toMatch(/basic_text.*keyring|keyring.*basic_text/s);
    expect(shell.running.problem()).toMatchObject({ kind: 'cannot-start' });
    expectLockedAndAlive(shell);
  });

  it('a packaged shell ignores CARESHELL_POLICY and reads only the managed path', async () => {
    shell = await startShell({ packaged: true });
    expect(process.env.CARESHELL_POLICY).toBe(shell.policyPath);
    expect(shell.host.policySource.location).toBe('/etc/careshell/policy.json');
  });

  it('registers app:// as privileged before ready, serves the renderer from it, and turns the menu off', async () => {
    shell = await startShell();
    expect(protocol.registeredAfterReady).toBe(false);
    expect(protocol.privileged).toEqual([
      // No corsEnabled or bypassCSP: other origins cannot read the renderer, and its CSP holds.
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    const page = await protocol.request('app://careshell/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(Menu.applicationMenu).toBeNull();
  });

  it('covers every other display from the first frame, before any policy is read', async () => {
    shell = await startShell({
      beforeStart: () => {
        screen.displays = [
          { id: 1, bounds: { x: 0, y: 0, width: 1280, height: 800 } },
          { id: 2, bounds: { x: 1280, y: 0, width: 1920, height: 1080 } },
        ];
      },
    });
    // Synchronously after createElectronHost: nothing has been presented and no policy read yet.
    expect(shell.covers()).toHaveLength(1);
    expect(shell.covers()[0]!.getBounds()).toEqual({ x: 1280, y: 0, width: 1920, height: 1080 });
    await shell.running.ready;
    expect(shell.covers()).toHaveLength(1);
  });
});
