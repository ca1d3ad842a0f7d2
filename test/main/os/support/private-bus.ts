import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BUS_DRIVER, DbusConnection } from '../../../../main/os/dbus/dbus-connection.js';
import { MessageType, type DbusMessage } from '../../../../main/os/dbus/dbus-wire.js';

const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

/**
 * Why the D-Bus tests cannot run here, or undefined when they can. Like the browser tests: a developer machine
 * without dbus-daemon or gdbus skips them with the reason printed; CI (which installs both) never skips.
 */
export function dbusMissingReason(): string | undefined {
  if (process.env.CI) return undefined;
  const missing = ['dbus-daemon', 'gdbus'].filter((tool) => !has(tool));
  return missing.length === 0
    ? undefined
    : `no ${missing.join(' or ')} on PATH: run \`apt-get install -y dbus-daemon libglib2.0-bin\` (what .ci/run does)`;
}

/** A real dbus-daemon of its own, configured like a system bus but open to this test's uid; stopped by the returned close. */
export async function startPrivateBus(): Promise<{ address: string; close(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'careshell-bus-'));
  const socket = path.join(dir, 'bus');
  const config = path.join(dir, 'bus.conf');
  await writeFile(
    config,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=${socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default"><allow user="*"/><allow own="*"/><allow send_destination="*"/><allow receive_sender="*"/></policy>
</busconfig>
`,
  );
  const daemon = spawn('dbus-daemon', ['--config-file', config, '--nofork', '--print-address=1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    daemon.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    daemon.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    daemon.on('error', reject);
    daemon.on('exit', (code) => reject(new Error(`dbus-daemon exited with ${code}: ${err}`)));
  });
  return {
    address,
    async close() {
      if (daemon.exitCode === null && daemon.signalCode === null) {
        const exited = new Promise((resolve) => daemon.once('exit', resolve));
        daemon.kill();
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export const SESSION_PATH = '/org/freedesktop/login1/session/_31';

/**
 * The part of systemd-logind that CareShell talks to: the bus name, Manager.GetSessionByPID for CareShell's
 * pid, and the session's Lock signal and LockedHint property (org.freedesktop.login1(5)).
 */
export async function startFakeLogind(
  address: string,
  { sessionFor = (pid: number): string | undefined => (pid === process.pid ? SESSION_PATH : undefined) } = {},
) {
  const bus = await DbusConnection.open(address);
  const [reply] = await bus.call({
    ...BUS_DRIVER,
    member: 'RequestName',
    signature: 'su',
    body: ['org.freedesktop.login1', 4],
  });
  if (reply !== 1) throw new Error(`the fake logind did not get its bus name (RequestName replied ${String(reply)})`);
  bus.on('message', (call: DbusMessage) => {
    if (call.type !== MessageType.methodCall) return;
    const answer = (m: Pick<DbusMessage, 'type' | 'signature' | 'body' | 'errorName'>) =>
      bus.send({ ...m, flags: 1, replySerial: call.serial, destination: call.sender });
    if (call.interface === 'org.freedesktop.login1.Manager' && call.member === 'GetSessionByPID') {
      const session = sessionFor(Number(call.body[0]));
      if (session) answer({ type: MessageType.methodReturn, signature: 'o', body: [session] });
      else
        answer({
          type: MessageType.error,
          errorName: 'org.freedesktop.login1.NoSessionForPID',
          signature: 's',
          body: [`PID ${String(call.body[0])} does not belong to any known session`],
        });
    } else {
      answer({
        type: MessageType.error,
        errorName: 'org.freedesktop.DBus.Error.UnknownMethod',
        signature: 's',
        body: [`${call.interface}.${call.member} is not part of the fake logind`],
      });
    }
  });
  const signal = (path: string, iface: string, member: string, signature = '', body: DbusMessage['body'] = []) =>
    bus.send({ type: MessageType.signal, flags: 1, path, interface: iface, member, signature, body });
  return {
    bus,
    /** What `loginctl lock-session` makes logind send. */
    lock: (path = SESSION_PATH) => signal(path, 'org.freedesktop.login1.Session', 'Lock'),
    unlock: (path = SESSION_PATH) => signal(path, 'org.freedesktop.login1.Session', 'Unlock'),
    /** What logind sends when a screen locker calls SetLockedHint. */
    lockedHint: (locked: boolean, path = SESSION_PATH) =>
      signal(path, 'org.freedesktop.DBus.Properties', 'PropertiesChanged', 'sa{sv}as', [
        'org.freedesktop.login1.Session',
        [['LockedHint', { signature: 'b', value: locked }]],
        [],
      ]),
    close: () => bus.close(),
  };
}
