import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SESSION_BANNER_HEIGHT_PX, SESSION_HEADER_HEIGHT_PX } from '../../common/shell-layout.js';
import { type BrowserWindow, focused, screen, session, type WebContentsView } from './support/fake-electron.js';
import { startShell, type StartedShell } from './support/start-shell.js';

vi.mock('electron', () => import('./support/fake-electron.js'));

let shell: StartedShell;
let main: BrowserWindow;
const EHR = 'https://ehr.hospital.example/app';

beforeEach(async () => {
  shell = await startShell({
    beforeStart: () => {
      screen.displays = [
        { id: 1, bounds: { x: 0, y: 0, width: 1280, height: 800 } },
        { id: 2, bounds: { x: 1280, y: 0, width: 1920, height: 1080 } },
      ];
    },
  });
  await shell.running.ready;
  main = shell.host.window as unknown as BrowserWindow;
  shell.host.configure({ ehrUrl: EHR, ehrOrigins: [EHR], signInOrigins: ['https://login.hospital.example'] });
});
afterEach(() => shell.stop());

const ehrViews = () => main.contentView.children as WebContentsView[];

describe('the Electron host presents the stage (EHR view, overlays, covers, on top)', () => {
  it('an active session shows its EHR view below the session header, covers gone, not on top', () => {
    shell.host.loadEhr!('s1', EHR);
    shell.host.present({ locked: false, ehrSessionId: 's1', overlay: 'none' });
    expect(ehrViews()).toHaveLength(1);
    const view = ehrViews()[0]!;
    expect(view.webContents.loaded).toEqual([EHR]);
    expect(view.webContents.webPreferences).toMatchObject({ partition: 'careshell-session-s1', sandbox: true });
    expect(view.getBounds()).toEqual({
      x: 0,
      y: SESSION_HEADER_HEIGHT_PX,
      width: 1280,
      height: 800 - SESSION_HEADER_HEIGHT_PX,
    });
    expect(shell.covers()).toHaveLength(0);
    expect(main.alwaysOnTop.flag).toBe(false);
  });

  it('the header the EHR view starts below is the CSS one: sized from the same constant, and its content fits', () => {
    const css = readFileSync(path.resolve(import.meta.dirname, '../../renderer/styles.css'), 'utf8');
    const block = (selector: string) =>
      css.match(new RegExp(`\\n${selector.replace('.', '\\.')} \\{([^}]*)\\}`))?.[1] ?? '';
    const px = (text: string, property: string) => Number(text.match(new RegExp(`${property}: (\\d+)px`))?.[1]);
    const header = block('.session-header');
    expect(header).toContain('height: var(--session-header-height);');
    // padding top and bottom, the 56 px buttons in it, the bottom border: 78 px today.
    const needed = 2 * px(header, 'padding') + px(block('button'), 'min-height') + px(header, 'border-bottom');
    expect(needed).toBe(78);
    expect(SESSION_HEADER_HEIGHT_PX).toBe(needed);
    const main = readFileSync(path.resolve(import.meta.dirname, '../../renderer/main.tsx'), 'utf8');
    expect(main).toContain("setProperty('--session-header-height', `${SESSION_HEADER_HEIGHT_PX}px`)");
  });

  it('an idle warning over an open EHR view takes the view off screen, so the countdown is on top', () => {
    shell.host.loadEhr!('s1', EHR);
    shell.host.present({ locked: false, ehrSessionId: 's1', overlay: 'none' });
    const view = ehrViews()[0]!;
    expect(focused.contents).toBe(view.webContents);
    shell.host.present({ locked: false, ehrSessionId: 's1', overlay: 'modal' });
    expect(ehrViews()).toEqual([]);
    expect(view.webContents.isDestroyed()).toBe(false);
    // The countdown's "Stay signed in" takes the keys, not the hidden EHR page.
    expect(focused.contents).toBe(main.webContents);
    // "Stay signed in": the same page comes back, not a reload.
    shell.host.present({ locked: false, ehrSessionId: 's1', overlay: 'none' });
    expect(ehrViews()).toEqual([view]);
    expect(view.webContents.loaded).toEqual([EHR]);
  });

  it('a banner (notice, break-glass) shrinks the EHR view below it; the header stays uncovered', () => {
    shell.host.present({ locked: false, ehrSessionId: 's1', overlay: 'banner' });
    const top = SESSION_HEADER_HEIGHT_PX + SESSION_BANNER_HEIGHT_PX;
    expect(ehrViews()[0]!.getBounds()).toEqual({ x: 0, y: top, width: 1280, height: 800 - top });
    main.resizeTo(1600, 900);
    expect(ehrViews()[0]!.getBounds()).toEqual({ x: 0, y: top, width: 1600, height: 900 - top });
  });

  it('lock removes the EHR view at once, covers the other display and keeps the window on top', () => {
    shell.host.present({ locked: false, ehrSessionId: 's1', overlay: 'none' });
    shell.host.present({ locked: true, overlay: 'none' });
    expect(ehrViews()).toEqual([]);
    expect(shell.covers()).toHaveLength(1);
    expect(main.alwaysOnTop).toEqual({ flag: true, level: 'screen-saver' });
  });

  it('a locked stage never shows an EHR view, even when one is named', () => {
    shell.host.present({ locked: true, ehrSessionId: 's1', overlay: 'none' });
    expect(ehrViews()).toEqual([]);
  });

  it('switching users shows the other session in its own partition', () => {
    shell.host.present({ locked: false, ehrSessionId: 's1', overlay: 'none' });
    const first = ehrViews()[0]!;
    shell.host.present({ locked: false, ehrSessionId: 's2', overlay: 'none' });
    expect(ehrViews()).toHaveLength(1);
    expect(ehrViews()[0]).not.toBe(first);
    expect(ehrViews()[0]!.webContents.session).not.toBe(first.webContents.session);
  });

  it('sign-out closes the view and clears its partition', async () => {
    shell.host.present({ locked: false, ehrSessionId: 's1', overlay: 'none' });
    const view = ehrViews()[0]!;
    await shell.host.terminateEhr('s1');
    expect(ehrViews()).toEqual([]);
    expect(view.webContents.isDestroyed()).toBe(true);
    expect(session.fromPartition('careshell-session-s1').cleared).toBe(1);
  });

  it('a partition that cannot be cleared still closes the view, logs and does not reject', async () => {
    shell.host.present({ locked: false, ehrSessionId: 's1', overlay: 'none' });
    const view = ehrViews()[0]!;
    session.fromPartition('careshell-session-s1').clearFailure = new Error('storage busy');
    await expect(shell.host.terminateEhr('s1')).resolves.toBeUndefined();
    expect(view.webContents.isDestroyed()).toBe(true);
    expect(ehrViews()).toEqual([]);
    expect(shell.warnings.join('\n')).toContain('storage busy');
  });

  it('a display plugged in while locked is covered too', () => {
    shell.host.present({ locked: true, overlay: 'none' });
    screen.displays.push({ id: 3, bounds: { x: -1024, y: 0, width: 1024, height: 768 } });
    screen.emit('display-added');
    expect(
      shell
        .covers()
        .map((c) => c.getBounds().x)
        .sort((a, b) => a - b),
    ).toEqual([-1024, 1280]);
  });
});
