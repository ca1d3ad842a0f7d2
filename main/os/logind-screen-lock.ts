import { messageOf } from '../../common/errors.js';
import { type DbusConnection, DbusError } from './dbus/dbus-connection.js';
import { MessageType, type DbusMessage, type DbusValue, type DbusVariant } from './dbus/dbus-wire.js';

const LOGIND = 'org.freedesktop.login1';
const SESSION_INTERFACE = 'org.freedesktop.login1.Session';

export interface LogindScreenLockOptions {
  /** Opens the system bus (tests pass a private bus). */
  connect(): Promise<DbusConnection>;
  /** CareShell's own process: its logind session is the one whose lock counts. */
  pid: number;
  /** The desktop locked (or was asked to lock) CareShell's session: lock now. */
  onLock(reason: string): void;
  log: { info(message: string): void; warn(message: string): void };
}

/** What a workstation without this signal still has, said whenever it cannot be followed. */
const STILL_LOCKS = 'CareShell still locks on its idle timer, on sleep and on a tap-out';

/**
 * Walk-away on Linux (docs/design.md#session-semantics): Electron reports no screen lock there, but logind
 * does. `loginctl lock-session` (and lock-sessions, which IT scripts and idle daemons use) sends the session's
 * Lock signal, and a screen locker that takes over sets LockedHint. Either locks CareShell. Unlock is never
 * followed: the OS unlocking its screen does not re-verify anyone to CareShell. Signals are taken only from
 * logind's own bus name (in the match rules), since any local process may emit a signal that looks like one.
 * Resolves with a stop function; when the bus, logind or a session is missing it says so and follows nothing.
 */
export async function followLogindScreenLock(options: LogindScreenLockOptions): Promise<() => void> {
  const { log } = options;
  let bus: DbusConnection;
  try {
    bus = await options.connect();
  } catch (error) {
    log.warn(
      `os: the screen lock of the desktop is not followed: no system bus (${messageOf(error)}). ${STILL_LOCKS}.`,
    );
    return () => undefined;
  }
  let stopped = false;
  try {
    const [sessionPath] = await bus.call({
      destination: LOGIND,
      path: '/org/freedesktop/login1',
      interface: `${LOGIND}.Manager`,
      member: 'GetSessionByPID',
      signature: 'u',
      body: [options.pid],
    });
    const session = String(sessionPath);
    await bus.addMatch({ type: 'signal', sender: LOGIND, path: session, interface: SESSION_INTERFACE, member: 'Lock' });
    await bus.addMatch({
      type: 'signal',
      sender: LOGIND,
      path: session,
      interface: 'org.freedesktop.DBus.Properties',
      member: 'PropertiesChanged',
      arg0: SESSION_INTERFACE,
    });
    // The bus routes only what the match rules name: signals sent by whoever owns logind's name now (a logind
    // restart included), for this session. Any other process's look-alike signal never arrives.
    bus.on('message', (message: DbusMessage) => {
      if (message.type !== MessageType.signal || message.path !== session) return;
      if (message.interface === SESSION_INTERFACE && message.member === 'Lock')
        options.onLock('the desktop asked its session to lock (logind Lock)');
      else if (
        message.member === 'PropertiesChanged' &&
        message.signature === 'sa{sv}as' &&
        message.body[0] === SESSION_INTERFACE &&
        lockedHint(message.body[1]) === true
      ) {
        options.onLock('the desktop locked its screen (logind LockedHint)');
      }
    });
    bus.on('close', (error) => {
      if (!stopped)
        log.warn(
          `os: lost the system bus (${error?.message ?? 'closed'}); the desktop's screen lock is followed again after CareShell restarts. ${STILL_LOCKS}.`,
        );
    });
    log.info(`os: following the desktop's screen lock through logind (session ${session})`);
  } catch (error) {
    bus.close();
    const why =
      error instanceof DbusError && error.errorName === 'org.freedesktop.DBus.Error.ServiceUnknown'
        ? 'logind is not running'
        : error instanceof DbusError && error.errorName === `${LOGIND}.NoSessionForPID`
          ? 'CareShell is not running inside a logind session'
          : messageOf(error);
    log.warn(`os: the screen lock of the desktop is not followed: ${why}. ${STILL_LOCKS}.`);
    return () => undefined;
  }
  return () => {
    stopped = true;
    bus.close();
  };
}

/** LockedHint from a PropertiesChanged a{sv} (its signature checked by the caller), when it is there. */
function lockedHint(changed: DbusValue | undefined): boolean | undefined {
  const entry = (changed as [string, DbusVariant][]).find(([name]) => name === 'LockedHint');
  return typeof entry?.[1].value === 'boolean' ? entry[1].value : undefined;
}
