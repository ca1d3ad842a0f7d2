import { afterEach, describe, expect, it, vi } from 'vitest';
import { app, type BrowserWindow, fakeEvent, Menu, powerMonitor } from './support/fake-electron.js';
import { screenLock, startShell, type StartedShell } from './support/start-shell.js';

vi.mock('electron', () => import('./support/fake-electron.js'));

let shell: StartedShell | undefined;
afterEach(async () => {
  await shell?.stop();
  shell = undefined;
});

async function started(packaged: boolean): Promise<{ shell: StartedShell; main: BrowserWindow }> {
  shell = await startShell({ packaged });
  await shell.running.ready;
  return { shell, main: shell.host.window as unknown as BrowserWindow };
}

describe('kiosk lockdown', () => {
  it('no application menu, and a packaged build has DevTools off in every web contents', async () => {
    const { main } = await started(true);
    expect(Menu.applicationMenu).toBeNull();
    expect(main.options.kiosk).toBe(true);
    expect(main.webContents.webPreferences.devTools).toBe(false);
    main.webContents.openDevTools();
    expect(main.webContents.isDevToolsOpened()).toBe(false);
  });

  it('DevTools opened anyway in a packaged build are closed at once', async () => {
    const { main } = await started(true);
    main.webContents.devToolsOpen = true;
    main.webContents.emit('devtools-opened');
    expect(main.webContents.isDevToolsOpened()).toBe(false);
  });

  it('a development build keeps DevTools for the developer', async () => {
    const { main } = await started(false);
    expect(main.webContents.webPreferences.devTools).toBe(true);
    main.webContents.openDevTools();
    expect(main.webContents.isDevToolsOpened()).toBe(true);
  });

  it.each([
    { key: 'r', control: true },
    { key: 'R', control: true, shift: true },
    { key: 'F5' },
    { key: 'q', control: true },
    { key: 'q', meta: true },
    { key: 'w', control: true },
    { key: 'I', control: true, shift: true },
    { key: 'i', meta: true, alt: true },
    { key: 'J', control: true, shift: true },
    { key: 'F12' },
    { key: 'F11' },
  ])('blocks the shortcut %o', async (input) => {
    const { main } = await started(true);
    expect(main.webContents.press(input)).toBe(false);
  });

  it.each([{ key: 'c', control: true }, { key: 'v', control: true }, { key: 'a' }, { key: 'Enter' }])(
    'lets ordinary typing through: %o',
    async (input) => {
      const { main } = await started(true);
      expect(main.webContents.press(input)).toBe(true);
    },
  );

  it('closing the window is refused while policy does not allow quitting; nothing exits', async () => {
    const { shell, main } = await started(true);
    const quit = vi.spyOn(shell.running, 'requestQuit');
    main.close();
    expect(main.isDestroyed()).toBe(false);
    expect(quit).toHaveBeenCalledTimes(1);
    app.quit();
    expect(quit).toHaveBeenCalledTimes(2);
    expect(app.exitCode).toBeUndefined();
  });

  it('every close and quit is prevented first, then handed to the workstation', async () => {
    const { shell, main } = await started(true);
    const quit = vi.spyOn(shell.running, 'requestQuit').mockReturnValue(true);
    const close = fakeEvent();
    main.emit('close', close);
    const beforeQuit = fakeEvent();
    app.emit('before-quit', beforeQuit);
    app.emit('window-all-closed');
    expect([close.defaultPrevented, beforeQuit.defaultPrevented]).toEqual([true, true]);
    expect(quit).toHaveBeenCalledTimes(3);
  });

  it('host.exit() ends the process only when the workstation says so', async () => {
    const { shell } = await started(true);
    expect(app.exitCode).toBeUndefined();
    shell.host.exit();
    expect(app.exitCode).toBe(0);
  });

  it.each([
    ['lock-screen', 'lock-screen'],
    ['suspend', 'suspend'],
    ['shutdown', 'shutdown'],
    ['user-did-resign-active', 'resign-active'],
  ])('powerMonitor %s reaches the workstation as %s', async (signal, event) => {
    const { shell } = await started(true);
    const osEvent = vi.spyOn(shell.running, 'osEvent').mockResolvedValue();
    powerMonitor.emit(signal);
    expect(osEvent).toHaveBeenCalledWith(event);
  });

  it('Windows ending the session (session-end on the main window) reaches the workstation as shutdown', async () => {
    const { shell, main } = await started(true);
    const osEvent = vi.spyOn(shell.running, 'osEvent').mockResolvedValue();
    main.emit('session-end', fakeEvent({ reasons: ['shutdown'] }));
    expect(osEvent).toHaveBeenCalledWith('shutdown');
  });

  it('the screen lock Electron does not report (logind on Linux) reaches the workstation as lock-screen', async () => {
    const { shell } = await started(true);
    const osEvent = vi.spyOn(shell.running, 'osEvent').mockResolvedValue();
    await vi.waitFor(() => expect(screenLock.lock).toBeDefined());
    screenLock.lock?.();
    expect(osEvent).toHaveBeenCalledWith('lock-screen');
  });
});
