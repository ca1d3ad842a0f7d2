import { app, BrowserWindow } from 'electron';
import { hostname } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { systemClock } from '../../common/clock.js';
import { systemRandom } from '../../common/random.js';
import { createNodeHidBackend } from '../../native/hid/node-hid-backend.js';
import { createHotplugSource } from '../../native/manager/hotplug-source.js';
import { loadPcscBinding } from '../../native/pcsc/pcsc-binding.js';
import { careShellPolicySchema, resolveCareShellPolicy, type PolicyResolution } from '../app/careshell-policy.js';
import { createCareShell } from '../app/create-careshell.js';
import { followMachinePolicy } from '../app/machine-policy-updates.js';
import { openWorkstation } from '../app/open-workstation.js';
import { policyErrorContract } from '../contract/policy-error-contract.js';
import { recordRejectedPolicy } from '../app/workstation-journal.js';
import { DEFAULT_MACHINE_POLICY_PATH, loadMachinePolicy } from '../policy/machine-policy-loader.js';
import { watchMachinePolicy } from '../policy/machine-policy-watcher.js';
import { DbusConnection, systemBusAddress } from '../os/dbus/dbus-connection.js';
import { followLogindScreenLock } from '../os/logind-screen-lock.js';
import { describeProblems } from '../policy/policy-problem.js';
import { DisplayCover } from './display-cover.js';
import { EhrViews } from './ehr-views.js';
import { applyHardening } from './hardening.js';
import { bridgeContract } from './ipc-bridge.js';
import { forwardOsEvents, osIdleMs } from './os-events.js';
import { safeStorageProtector } from './safe-storage-protector.js';
import { openSignInWindow } from './sign-in-window.js';
import { captureWedgeKeys } from './wedge-capture.js';
import { lockedDownWebPreferences } from './web-preferences.js';

const log = {
  info: (m: string) => console.log(`careshell: ${m}`),
  warn: (m: string) => console.warn(`careshell: ${m}`),
};
const rendererFile = path.join(import.meta.dirname, '../renderer/index.html');
const policyPath = process.env.CARESHELL_POLICY ?? DEFAULT_MACHINE_POLICY_PATH;

/** The machine policy file, read and resolved; an invalid one comes back with every wrong key. */
async function readPolicy(): Promise<PolicyResolution> {
  const loaded = await loadMachinePolicy({ schema: careShellPolicySchema, path: policyPath });
  return loaded.ok ? resolveCareShellPolicy(loaded.policy) : loaded;
}
const rendererUrl = pathToFileURL(rendererFile).href;

function createMainWindow(): BrowserWindow {
  return new BrowserWindow({
    show: false,
    kiosk: app.isPackaged,
    backgroundColor: '#0b2545',
    title: 'CareShell',
    webPreferences: lockedDownWebPreferences({ preload: path.join(import.meta.dirname, '../preload/index.cjs') }),
  });
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) return app.quit();
  await app.whenReady();
  const workstationName = hostname();
  const resolved = await readPolicy();
  const allowedOrigins = resolved.ok
    ? [resolved.policy.ehr?.url, ...(resolved.policy.ehr?.allowedOrigins ?? []), resolved.policy.identity?.authority]
        .filter((u): u is string => !!u)
        .map((u) => new URL(u).origin)
    : [];
  applyHardening({
    isAllowedNavigation: (url) =>
      url.startsWith(rendererUrl) ||
      allowedOrigins.includes(new URL(url).origin) ||
      /^http:\/\/localhost(:\d+)?\//.test(url),
  });

  const window = createMainWindow();
  const cover = new DisplayCover(window);
  window.once('ready-to-show', () => window.show());

  if (!resolved.ok) {
    // Fail closed: the lock screen names every wrong key; nothing else runs.
    const problems = describeProblems(policyPath, resolved.problems);
    log.warn(problems);
    await recordRejectedPolicy({
      dataDir: app.getPath('userData'),
      protector: safeStorageProtector(),
      clock: systemClock,
      random: systemRandom,
      workstation: workstationName,
      policyPath,
      problems: resolved.problems,
    }).catch((error: unknown) => log.warn(`audit: could not record the invalid policy: ${(error as Error).message}`));
    bridgeContract({ contract: policyErrorContract(workstationName, problems, log) }, window, rendererUrl, log);
    // Once IT corrects the file, start again on it: nothing else runs until then.
    watchMachinePolicy({
      path: policyPath,
      clock: systemClock,
      log,
      onChange: () =>
        void readPolicy().then((next) => {
          if (!next.ok) return;
          app.relaunch();
          app.exit(0);
        }),
    });
    await window.loadFile(rendererFile);
    return;
  }

  const workstation = await openWorkstation({
    policy: resolved.policy,
    dataDir: app.getPath('userData'),
    workstation: workstationName,
    clock: systemClock,
    random: systemRandom,
    protector: safeStorageProtector(),
    openSignIn: openSignInWindow(window),
    hardware: {
      hidBackend: createNodeHidBackend(),
      loadPcsc: loadPcscBinding,
      hotplug: createHotplugSource({ clock: systemClock }),
    },
    osIdleMs,
    log,
  });
  const careshell = createCareShell(workstation.env);
  const ehr = resolved.policy.ehr ? new EhrViews(window, resolved.policy.ehr.url, log) : undefined;
  const disposers = [
    bridgeContract(careshell, window, rendererUrl, log),
    forwardOsEvents(careshell.session),
    captureWedgeKeys(window.webContents, workstation.wedgeReaders),
    careshell.session.onView((view) => cover.setLocked(view.screen !== 'active' && view.screen !== 'idle-warning')),
    careshell.session.onLifecycle((event) => {
      if (event.kind === 'shown') ehr?.show(event.sessionId);
      else if (event.kind === 'hidden') ehr?.hide(event.sessionId);
      else void ehr?.terminate(event.sessionId);
    }),
  ];
  // Each capture releases itself when its web contents is destroyed; only live ones are kept for shutdown.
  const wedgeCaptures = new Set<() => void>();
  disposers.push(() => wedgeCaptures.forEach((release) => release()));
  app.on('web-contents-created', (_event, contents) => {
    if (contents.getType() !== 'window' || contents !== window.webContents) {
      const release = captureWedgeKeys(contents, workstation.wedgeReaders);
      wedgeCaptures.add(release);
      contents.once('destroyed', () => wedgeCaptures.delete(release));
    }
  });
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    // Quit only once the journal has written its final checkpoint and the forwarders have stopped.
    event.preventDefault();
    quitting = true;
    for (const dispose of disposers.splice(0)) dispose();
    ehr?.dispose();
    cover.dispose();
    careshell
      .stop()
      .then(() => workstation.close())
      .catch((error: unknown) => log.warn(`CareShell did not close cleanly: ${(error as Error).message}`))
      .finally(() => app.exit(0));
  });
  await window.loadFile(rendererFile);
  await careshell.start();
  disposers.push(
    await followMachinePolicy({
      policyPath,
      load: readPolicy,
      current: resolved.policy,
      session: careshell.session,
      identity: workstation.identity,
      audit: workstation.journal,
      clock: systemClock,
      workstation: workstationName,
      log,
    }),
  );
  // Electron reports no screen lock on Linux (only on Windows and macOS, in forwardOsEvents); logind does.
  if (process.platform === 'linux') {
    disposers.push(
      await followLogindScreenLock({
        connect: () => DbusConnection.open(systemBusAddress()),
        pid: process.pid,
        onLock: (reason) => {
          log.info(`os: ${reason}`);
          void careshell.session.handle({ type: 'os', event: 'lock-screen' });
        },
        log,
      }),
    );
  }
}

main().catch((error: unknown) => {
  log.warn(`CareShell could not start: ${(error as Error).message}`);
  app.exit(1);
});
