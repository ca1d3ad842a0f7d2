import { app, BrowserWindow, type WebContents } from 'electron';
import { hostname } from 'node:os';
import path from 'node:path';
import { systemClock } from '../../common/clock.js';
import { messageOf } from '../../common/errors.js';
import { systemRandom } from '../../common/random.js';
import { createNodeHidBackend } from '../../native/hid/node-hid-backend.js';
import { createHotplugSource } from '../../native/manager/hotplug-source.js';
import { loadPcscBinding } from '../../native/pcsc/pcsc-binding.js';
import type { WedgeKeyFilterSource } from '../../native/wedge/wedge-input-capture.js';
import { followLinuxScreenLock } from '../workstation/logind-os-events.js';
import { workstationPolicySource } from '../workstation/workstation-policy-source.js';
import type { HostLog, RunningWorkstation, Stage, WorkstationHost } from '../workstation/workstation-host.js';
import { registerAppScheme, RENDERER_ORIGIN, RENDERER_URL, serveRenderer } from './app-protocol.js';
import { DisplayCover } from './display-cover.js';
import { EhrViews } from './ehr-views.js';
import { applyHardening } from './hardening.js';
import { bridgeContract } from './ipc-bridge.js';
import { lockDownKiosk } from './kiosk-lockdown.js';
import { NavigationGuard } from './navigation-guard.js';
import { forwardOsEvents, osIdleMs } from './os-events.js';
import { electronPreferenceStore } from './preferences-store.js';
import { safeStorageProtector } from './safe-storage-protector.js';
import { signInWindows } from './sign-in-window.js';
import { captureWedgeKeys } from './wedge-capture.js';
import { lockedDownWebPreferences } from './web-preferences.js';

/** The Electron host, plus where it reports what happens (OS events, quit requests) once the workstation runs. */
export interface ElectronHost extends WorkstationHost {
  attach(running: RunningWorkstation): void;
  /** The main window (tests and the shell's own wiring). */
  readonly window: BrowserWindow;
}

export interface ElectronHostOptions {
  /** Built renderer (out/renderer) and preload (out/preload/index.cjs); both next to out/main by default. */
  rendererRoot?: string;
  preloadPath?: string;
  log?: HostLog;
  /** Follows the OS screen lock Electron does not report (Linux: logind over the system bus). */
  followScreenLock?: (run: Pick<RunningWorkstation, 'osEvent'>, log: HostLog) => Promise<() => void>;
}

const consoleLog = {
  info: (m: string) => console.log(`careshell: ${m}`),
  warn: (m: string) => console.warn(`careshell: ${m}`),
};

/**
 * What must happen before the app is ready: the app:// scheme is registered, and a second CareShell process
 * hands over to the first. Returns false when this process is the second one and must quit.
 */
export function prepareElectron(): boolean {
  registerAppScheme();
  return app.requestSingleInstanceLock();
}

/**
 * The WorkstationHost for Electron (docs/shell.md): only glue. Every policy and session decision is taken by the
 * workstation; this shows what it is told and reports what the OS and the user do. Call after app ready. The main
 * window is locked (covers on every other display, on top) from its first frame, before any policy is read.
 */
export function createElectronHost(options: ElectronHostOptions = {}): ElectronHost {
  const log = options.log ?? consoleLog;
  const packaged = app.isPackaged;
  const here = import.meta.dirname;
  serveRenderer(options.rendererRoot ?? path.join(here, '../renderer'), log);
  const guard = new NavigationGuard(RENDERER_ORIGIN);
  applyHardening({ guard, packaged, log });

  const window = new BrowserWindow({
    show: false,
    kiosk: packaged,
    backgroundColor: '#0b2545',
    title: 'CareShell',
    webPreferences: lockedDownWebPreferences(
      { preload: options.preloadPath ?? path.join(here, '../preload/index.cjs') },
      { packaged },
    ),
  });
  guard.mark(window.webContents, 'renderer');
  const cover = new DisplayCover(window);
  window.once('ready-to-show', () => window.show());
  // A second start (a double-click on the icon) brings this window forward instead of a second workstation.
  app.on('second-instance', () => !window.isDestroyed() && window.focus());
  // A crashed or killed renderer would leave a blank window: load the lock screen again.
  window.webContents.on('render-process-gone', (_event, details) => {
    log.warn(`the renderer ended (${details.reason}); loading it again`);
    if (!window.isDestroyed()) void window.loadURL(RENDERER_URL).catch(() => undefined);
  });

  let ehrUrl: string | undefined;
  let running: RunningWorkstation | undefined;
  const ehr = new EhrViews(window, {
    ehrUrl: () => ehrUrl,
    guard,
    packaged,
    log,
    onBreakGlassLink: (url) => void running?.breakGlassLink(url),
  });
  const disposers: (() => void)[] = [];
  const signIn = signInWindows(window, guard);

  /** Every close or quit is first prevented, then policy decides; before the workstation runs, nothing quits. */
  const askToQuit = (event?: Electron.Event) => {
    event?.preventDefault();
    if (!running) log.info('kiosk: a request to quit was refused: CareShell is still starting');
    else running.requestQuit();
  };
  disposers.push(lockDownKiosk({ window, askToQuit, log }));

  return {
    window,
    workstation: hostname(),
    appVersion: app.getVersion(),
    dataDir: app.getPath('userData'),
    preferenceStore: electronPreferenceStore(log),
    policySource: workstationPolicySource({
      platform: process.platform,
      packaged,
      env: process.env,
      // A development build reads a policy file the developer owns.
      ...(packaged || process.getuid === undefined ? {} : { trustedOwnerUids: [0, process.getuid()] }),
    }),
    clock: systemClock,
    random: systemRandom,
    log,
    keyProtector: ({ allowPlaintext }) => safeStorageProtector({ allowPlaintext }),
    openSignIn: signIn.open,
    showSignIn: signIn.show,
    hardware: {
      hidBackend: createNodeHidBackend(),
      loadPcsc: loadPcscBinding,
      hotplug: createHotplugSource({ clock: systemClock }),
    },
    osIdleMs,
    captureWedgeKeys: (readers) => captureEveryWebContents(window.webContents, readers),

    serve(surface) {
      disposers.push(bridgeContract(surface, window, RENDERER_URL, log));
      // Loaded only now: the renderer's first request must find the contract served.
      window.loadURL(RENDERER_URL).catch((error: unknown) => log.warn(`renderer failed to load: ${messageOf(error)}`));
    },
    configure(settings) {
      ehrUrl = settings.ehrUrl;
      guard.setAllowList({ ehrOrigins: settings.ehrOrigins, signInOrigins: settings.signInOrigins });
    },
    present(stage: Stage) {
      cover.setLocked(stage.locked);
      ehr.present(stage);
    },
    loadEhr: (sessionId, url) => ehr.load(sessionId, url),
    terminateEhr: (sessionId) => ehr.terminate(sessionId),
    exit() {
      for (const dispose of disposers.splice(0)) dispose();
      ehr.dispose();
      cover.dispose();
      app.exit(0);
    },
    attach(workstation) {
      running = workstation;
      disposers.push(forwardOsEvents((event) => void workstation.osEvent(event), window));
      const followScreenLock =
        options.followScreenLock ?? (process.platform === 'linux' ? followLinuxScreenLock : undefined);
      if (followScreenLock) {
        followScreenLock(workstation, log)
          .then((stop) => disposers.push(stop))
          .catch((error: unknown) => log.warn(`logind screen lock not followed: ${messageOf(error)}`));
      }
    },
  };
}

/**
 * Wedge readers type into whatever has focus: the main window and every web contents created later (EHR views,
 * the sign-in window). Each capture releases itself when its web contents is destroyed.
 */
function captureEveryWebContents(main: WebContents, readers: readonly WedgeKeyFilterSource[]): () => void {
  const releases = new Set<() => void>();
  const capture = (contents: WebContents) => {
    const release = captureWedgeKeys(contents, readers);
    releases.add(release);
    contents.once('destroyed', () => releases.delete(release));
  };
  capture(main);
  const onCreated = (_event: Electron.Event, contents: WebContents) => capture(contents);
  app.on('web-contents-created', onCreated);
  return () => {
    app.off('web-contents-created', onCreated);
    for (const release of releases) release();
    releases.clear();
  };
}
