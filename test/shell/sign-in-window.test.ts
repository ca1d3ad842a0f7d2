import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BrowserWindow } from './support/fake-electron.js';
import { startShell, type StartedShell } from './support/start-shell.js';

vi.mock('electron', () => import('./support/fake-electron.js'));

const AUTHORITY = 'https://login.hospital.example';
let shell: StartedShell;

beforeEach(async () => {
  shell = await startShell();
  await shell.running.ready;
  shell.host.configure({ ehrOrigins: [], signInOrigins: [AUTHORITY] });
});
afterEach(() => shell.stop());

/** Opens the sign-in window as the token broker does; ending the returned controller ends the sign-in. */
async function openSignIn(): Promise<{ window: BrowserWindow; ended: AbortController; cancelled: () => number }> {
  const ended = new AbortController();
  let cancels = 0;
  await shell.host.openSignIn(`${AUTHORITY}/authorize?client_id=careshell`, {
    cancel: () => void cancels++,
    ended: ended.signal,
  });
  const window = BrowserWindow.getAllWindows()
    .filter((w) => w.options.title === 'Sign in')
    .at(-1);
  if (!window) throw new Error('no sign-in window was opened');
  return { window, ended, cancelled: () => cancels };
}

describe('"Show the sign-in window" (WorkstationHost.showSignIn in the Electron host)', () => {
  it('restores a minimised sign-in window, shows it on top, in front and focused', async () => {
    const { window, cancelled } = await openSignIn();
    window.minimize();
    expect(window.isVisible()).toBe(false);

    expect(shell.host.showSignIn()).toEqual({ ok: true });
    expect(window.isMinimized()).toBe(false);
    expect(window.isVisible()).toBe(true);
    expect(window.alwaysOnTop).toEqual({ flag: true, level: 'screen-saver' });
    expect(window.raised).toEqual(['moveTop', 'focus']);
    // Bringing it back is not closing it: the sign-in still waits.
    expect(window.isDestroyed()).toBe(false);
    expect(cancelled()).toBe(0);
  });

  it('brings a window that went behind another one to the front', async () => {
    const { window } = await openSignIn();
    window.hide();
    expect(shell.host.showSignIn()).toEqual({ ok: true });
    expect(window.isVisible()).toBe(true);
    expect(window.raised).toEqual(['moveTop', 'focus']);
  });

  it('with several sign-ins one after another, shows the one still open', async () => {
    const first = await openSignIn();
    first.ended.abort();
    const second = await openSignIn();
    expect(shell.host.showSignIn()).toEqual({ ok: true });
    expect(first.window.raised).toEqual([]);
    expect(second.window.raised).toEqual(['moveTop', 'focus']);
  });

  it('says so when no sign-in window is open: none yet, or its sign-in ended', async () => {
    const none = shell.host.showSignIn();
    expect(none).toEqual({ ok: false, message: expect.stringContaining('sign-in window is not open') });

    const { window, ended } = await openSignIn();
    ended.abort();
    expect(window.isDestroyed()).toBe(true);
    expect(shell.host.showSignIn()).toEqual(none);
  });

  it('says so when the person closed the sign-in window', async () => {
    const { window, cancelled } = await openSignIn();
    window.close();
    expect(cancelled()).toBe(1);
    expect(shell.host.showSignIn()).toMatchObject({ ok: false });
  });
});
