import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BrowserWindow, type FakeWebContents, session, type WebContentsView } from './support/fake-electron.js';
import { startShell, type StartedShell } from './support/start-shell.js';

vi.mock('electron', () => import('./support/fake-electron.js'));

const EHR = 'https://ehr.hospital.example/app/start';
const EHR_SSO = 'https://sso.hospital.example';
const AUTHORITY = 'https://login.hospital.example';
const FEDERATED = 'https://adfs.partner.example';
let shell: StartedShell;
let renderer: FakeWebContents;

beforeEach(async () => {
  shell = await startShell();
  await shell.running.ready;
  renderer = (shell.host.window as unknown as BrowserWindow).webContents;
  shell.host.configure({ ehrUrl: EHR, ehrOrigins: [EHR, EHR_SSO], signInOrigins: [AUTHORITY, FEDERATED] });
});
afterEach(() => shell.stop());

function ehrContents(): FakeWebContents {
  shell.host.present({ locked: false, ehrSessionId: 's1', overlay: 'none' });
  return ((shell.host.window as unknown as BrowserWindow).contentView.children[0] as WebContentsView).webContents;
}

async function signInWindow(): Promise<BrowserWindow> {
  const ended = new AbortController();
  await shell.host.openSignIn(`${AUTHORITY}/authorize?client_id=careshell`, { cancel: () => {}, ended: ended.signal });
  const window = BrowserWindow.getAllWindows().find((w) => w.options.title === 'Sign in');
  if (!window) throw new Error('no sign-in window was opened');
  return window;
}

const KINDS = ['will-navigate', 'will-redirect', 'will-frame-navigate'] as const;

describe('navigation refusals (details.url on every navigation event, per surface)', () => {
  it.each(KINDS)('%s: the renderer stays on app://careshell', (kind) => {
    expect(renderer.attempt(kind, 'app://careshell/index.html')).toBe(true);
    expect(renderer.attempt(kind, 'https://evil.example/phish')).toBe(false);
    expect(renderer.attempt(kind, 'file:///etc/passwd')).toBe(false);
    expect(renderer.attempt(kind, 'app://other/index.html')).toBe(false);
  });

  it.each(KINDS)('%s: an EHR view goes only to the EHR origins (frames included)', (kind) => {
    const ehr = ehrContents();
    expect(ehr.attempt(kind, 'https://ehr.hospital.example/app/patient/4A')).toBe(true);
    expect(ehr.attempt(kind, `${EHR_SSO}/saml`)).toBe(true);
    expect(ehr.attempt(kind, 'https://evil.example/', false)).toBe(false);
    expect(ehr.attempt(kind, 'http://ehr.hospital.example/app')).toBe(false);
  });

  it.each(KINDS)('%s: loopback is refused everywhere but the sign-in window', async (kind) => {
    expect(ehrContents().attempt(kind, 'http://localhost:8400/?code=x')).toBe(false);
    expect(renderer.attempt(kind, 'http://127.0.0.1:8400/')).toBe(false);
    const signIn = (await signInWindow()).webContents;
    expect(signIn.attempt(kind, 'http://localhost:8400/?code=x')).toBe(true);
    expect(signIn.attempt(kind, 'http://127.0.0.1:8400/?code=x')).toBe(true);
  });

  it('the sign-in window follows a federated sign-in to identity.allowedOrigins, and nowhere else', async () => {
    const window = await signInWindow();
    const signIn = window.webContents;
    expect(signIn.attempt('will-redirect', `${FEDERATED}/adfs/ls?wa=wsignin1.0`)).toBe(true);
    expect(signIn.attempt('will-redirect', 'https://evil.example/')).toBe(false);
    expect(signIn.attempt('will-navigate', EHR)).toBe(false);
    // Above the main window, which is kept on top while locked.
    expect(window.alwaysOnTop).toEqual({ flag: true, level: 'screen-saver' });
  });

  it('a refusal is logged with the origin only (a path can name a patient)', () => {
    ehrContents().attempt('will-navigate', 'https://evil.example/patient/Jane-Doe');
    const line = shell.warnings.find((w) => w.includes('evil.example'));
    expect(line).toContain('navigation refused in the ehr surface: https://evil.example');
    expect(line).not.toContain('Jane');
  });

  it('every permission is denied in the EHR partition and the default session', () => {
    ehrContents();
    for (const target of [session.fromPartition('careshell-session-s1'), session.defaultSession]) {
      expect(target.permissionCheckHandler?.(null, 'media')).toBe(false);
      let granted: boolean | undefined;
      target.permissionRequestHandler?.(null, 'geolocation', (ok) => (granted = ok));
      expect(granted).toBe(false);
    }
  });

  it('new windows are denied in every web contents', () => {
    expect(renderer.windowOpenHandler?.({ url: 'https://evil.example' })).toEqual({ action: 'deny' });
    expect(ehrContents().windowOpenHandler?.({ url: EHR })).toEqual({ action: 'deny' });
  });

  it('before the host is configured (no EHR in policy yet) no EHR view is created', async () => {
    await shell.stop();
    shell = await startShell();
    await shell.running.ready;
    shell.host.present({ locked: false, ehrSessionId: 's1', overlay: 'none' });
    expect((shell.host.window as unknown as BrowserWindow).contentView.children).toEqual([]);
  });
});
