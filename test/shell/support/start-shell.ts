// Starts the REAL Electron host and composition (main/shell/) on the fake electron module, as index.ts does,
// with its policy file, data folder and renderer in a temporary folder. The test file must have installed the fake:
//   vi.mock('electron', () => import('./support/fake-electron.js'))
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createElectronHost, prepareElectron, type ElectronHost } from '../../../main/shell/electron-host.js';
import { runWorkstation } from '../../../main/shell/composition.js';
import type { RunningWorkstation } from '../../../main/workstation/workstation-host.js';
import { app, BrowserWindow, ipcMain, resetFakeElectron } from './fake-electron.js';

export interface ShellOptions {
  /** The machine policy file's content; undefined = no file (a fresh install). */
  policy?: unknown;
  packaged?: boolean;
  /** Changes to the fake (displays, keyring) made after its reset, before the shell starts. */
  beforeStart?: () => void;
}

export interface StartedShell {
  host: ElectronHost;
  running: RunningWorkstation;
  policyPath: string;
  dir: string;
  warnings: string[];
  infos: string[];
  /** The renderer's invoke of a contract channel from the main window's own page. */
  invoke(channel: string, payload?: unknown): Promise<{ ok: boolean; result?: unknown; error?: string }>;
  /** Windows that are not the main window: the display covers. */
  covers(): BrowserWindow[];
  stop(): Promise<void>;
}

/** The OS screen lock the host follows (logind on Linux), as the started shell's test sees it. */
export const screenLock: { lock: (() => void) | undefined } = { lock: undefined };

export const MINIMAL_RENDERER = '<!doctype html><title>CareShell</title><div id="root"></div>';

export async function startShell(options: ShellOptions = {}): Promise<StartedShell> {
  resetFakeElectron();
  options.beforeStart?.();
  const dir = await mkdtemp(path.join(tmpdir(), 'careshell-shell-'));
  const policyDir = path.join(dir, 'policy');
  await mkdir(policyDir, { mode: 0o755 });
  const policyPath = path.join(policyDir, 'policy.json');
  if (options.policy !== undefined) {
    const text = typeof options.policy === 'string' ? options.policy : JSON.stringify(options.policy);
    await writeFile(policyPath, text, { mode: 0o644 });
  }
  const rendererRoot = path.join(dir, 'renderer');
  await mkdir(rendererRoot);
  await writeFile(path.join(rendererRoot, 'index.html'), MINIMAL_RENDERER);
  app.userData = path.join(dir, 'user-data');
  app.isPackaged = options.packaged ?? false;
  const previousPolicy = process.env.CARESHELL_POLICY;
  process.env.CARESHELL_POLICY = policyPath;

  const warnings: string[] = [];
  const infos: string[] = [];
  if (!prepareElectron()) throw new Error('the fake refused the single-instance lock');
  await app.whenReady();
  const host = createElectronHost({
    rendererRoot,
    preloadPath: path.join(dir, 'preload.cjs'),
    log: { info: (m) => infos.push(m), warn: (m) => warnings.push(m) },
    // The system bus is not the tests' to use: the screen lock is followed through this recorder instead.
    followScreenLock: async (run) => {
      screenLock.lock = () => void run.osEvent('lock-screen');
      return () => {
        screenLock.lock = undefined;
      };
    },
  });
  const running = runWorkstation(host);
  host.attach(running);
  const main = host.window as unknown as BrowserWindow;
  return {
    host,
    running,
    policyPath,
    dir,
    warnings,
    infos,
    invoke: (channel, payload) =>
      ipcMain.invoke(main.webContents, channel, payload) as ReturnType<StartedShell['invoke']>,
    covers: () => BrowserWindow.getAllWindows().filter((w) => w !== main),
    async stop() {
      await running.stop();
      if (previousPolicy === undefined) delete process.env.CARESHELL_POLICY;
      else process.env.CARESHELL_POLICY = previousPolicy;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
