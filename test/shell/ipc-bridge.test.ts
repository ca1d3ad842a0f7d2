import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type BrowserWindow, ipcMain, type WebContentsView } from './support/fake-electron.js';
import { startShell, type StartedShell } from './support/start-shell.js';

vi.mock('electron', () => import('./support/fake-electron.js'));

let shell: StartedShell;
let main: BrowserWindow;
beforeEach(async () => {
  shell = await startShell();
  await shell.running.ready;
  main = shell.host.window as unknown as BrowserWindow;
});
afterEach(() => shell.stop());

describe('the IPC bridge trusts only the renderer served from app://careshell', () => {
  it('answers the main frame of the main window showing app://careshell/index.html', async () => {
    expect(main.webContents.getURL()).toBe('app://careshell/index.html');
    expect(await shell.invoke('session:get-view')).toMatchObject({ ok: true });
  });

  it('refuses a subframe, another page of the same window, and an EHR view, before reading the payload', async () => {
    const refused = (outcome: unknown) => expect(outcome).toMatchObject({ ok: false, error: /untrusted frame/ });
    refused(
      await ipcMain.invoke(main.webContents, 'session:get-view', undefined, { url: 'app://careshell/index.html' }),
    );
    await main.webContents.loadURL('file:///index.html');
    refused(await ipcMain.invoke(main.webContents, 'session:get-view'));
    await main.webContents.loadURL('app://careshell/index.html');
    shell.host.configure({ ehrUrl: 'https://ehr.example', ehrOrigins: ['https://ehr.example'], signInOrigins: [] });
    shell.host.present({ locked: false, ehrSessionId: 's1', overlay: 'none' });
    const ehr = (main.contentView.children[0] as WebContentsView).webContents;
    refused(await ipcMain.invoke(ehr, 'session:lock-now'));
    expect(shell.warnings.filter((w) => w.startsWith('Refused'))).toHaveLength(3);
  });

  it("pushes the workstation's events to the renderer", async () => {
    await vi.waitFor(() => expect(main.webContents.sent.map((s) => s.channel)).toContain('session:view'));
  });
});
