import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrowserWindow, WebContentsView } from './support/fake-electron.js';
import { startShell, type StartedShell } from './support/start-shell.js';

vi.mock('electron', () => import('./support/fake-electron.js'));

const EHR = 'https://ehr.hospital.example';
const LINK =
  'careshell:break-glass?ehr=https%3A%2F%2Fehr.hospital.example&patient=Patient%2Fp-1005&restrictions=other-unit&chart=https%3A%2F%2Fehr.hospital.example%2Fpatients%2Fp-1005';
let shell: StartedShell;

beforeEach(async () => {
  shell = await startShell();
  await shell.running.ready;
  shell.host.configure({ ehrUrl: `${EHR}/`, ehrOrigins: [EHR], signInOrigins: ['https://login.hospital.example'] });
});
afterEach(() => shell.stop());

describe("the EHR view's break-glass link (docs/break-glass-api.md#the-break-glass-link)", () => {
  it.each(['will-navigate', 'will-frame-navigate'] as const)(
    '%s to careshell:break-glass is taken out of the navigation and handed to the workstation',
    async (kind) => {
      shell.host.loadEhr!('s1', `${EHR}/patients/p-1005`);
      shell.host.present({ locked: false, ehrSessionId: 's1', overlay: 'none' });
      const view = (shell.host.window as unknown as BrowserWindow).contentView.children[0] as WebContentsView;
      expect(view.webContents.attempt(kind, LINK)).toBe(false);
      // No policy runs in this shell, so the workstation says why nothing opens.
      await vi.waitFor(() =>
        expect(shell.warnings).toContain('break-glass link ignored: no EHR with break-glass is running'),
      );
      expect(view.webContents.loaded).toEqual([`${EHR}/patients/p-1005`]);
    },
  );

  it('other navigations of the EHR view are not taken for links', () => {
    shell.host.loadEhr!('s1', `${EHR}/`);
    shell.host.present({ locked: false, ehrSessionId: 's1', overlay: 'none' });
    const view = (shell.host.window as unknown as BrowserWindow).contentView.children[0] as WebContentsView;
    expect(view.webContents.attempt('will-navigate', `${EHR}/patients/p-1001`)).toBe(true);
    expect(shell.warnings.some((w) => w.startsWith('break-glass link'))).toBe(false);
  });
});
