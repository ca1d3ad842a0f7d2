import { DbusConnection, systemBusAddress } from '../os/dbus/dbus-connection.js';
import { followLogindScreenLock } from '../os/logind-screen-lock.js';
import type { HostLog, RunningWorkstation } from './workstation-host.js';

/**
 * Electron reports no screen lock on Linux (only on Windows and macOS), but logind does: a Linux host calls this
 * once with the running workstation, and each lock of CareShell's own logind session locks it at once.
 * Resolves with a stop function; without a system bus or logind it logs why and follows nothing.
 */
export function followLinuxScreenLock(
  run: Pick<RunningWorkstation, 'osEvent'>,
  log: HostLog,
  follow: typeof followLogindScreenLock = followLogindScreenLock,
): Promise<() => void> {
  return follow({
    connect: () => DbusConnection.open(systemBusAddress()),
    pid: process.pid,
    onLock: (reason) => {
      log.info(`os: ${reason}`);
      void run.osEvent('lock-screen');
    },
    log,
  });
}
