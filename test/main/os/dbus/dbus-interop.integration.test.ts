import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DbusConnection } from '../../../../main/os/dbus/dbus-connection.js';
import type { DbusMessage } from '../../../../main/os/dbus/dbus-wire.js';
import { dbusMissingReason, startFakeLogind, startPrivateBus } from '../support/private-bus.js';

const missing = dbusMissingReason();
if (missing) console.log(`skipping the D-Bus interoperability tests: ${missing}`);

describe.skipIf(missing !== undefined)('interoperability with GLib gdbus through a real dbus-daemon', () => {
  it("answers GLib's call to the fake logind and decodes the PropertiesChanged GLib emits", async () => {
    const bus = await startPrivateBus();
    const env = { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: bus.address };
    // Not spawnSync: the fake logind answers from this process, so its event loop must keep running.
    const gdbus = (...args: string[]) =>
      new Promise<{ stdout: string; stderr: string }>((resolve) =>
        execFile('gdbus', args, { env, timeout: 10_000 }, (_error, stdout, stderr) => resolve({ stdout, stderr })),
      );
    const logind = await startFakeLogind(bus.address, {
      sessionFor: (pid) => (pid === 4242 ? '/org/freedesktop/login1/session/c2' : undefined),
    });
    const observer = await DbusConnection.open(bus.address);
    try {
      const call = await gdbus(
        'call',
        '--system',
        '--dest',
        'org.freedesktop.login1',
        '--object-path',
        '/org/freedesktop/login1',
        '--method',
        'org.freedesktop.login1.Manager.GetSessionByPID',
        '4242',
      );
      expect(call.stderr).toBe('');
      expect(call.stdout.trim()).toBe("(objectpath '/org/freedesktop/login1/session/c2',)");

      const refused = await gdbus(
        'call',
        '--system',
        '--dest',
        'org.freedesktop.login1',
        '--object-path',
        '/org/freedesktop/login1',
        '--method',
        'org.freedesktop.login1.Manager.GetSessionByPID',
        '1',
      );
      expect(refused.stderr).toContain('org.freedesktop.login1.NoSessionForPID');

      await observer.addMatch({ type: 'signal', member: 'PropertiesChanged' });
      const received = new Promise<DbusMessage>((resolve) =>
        observer.on('message', (m) => m.member === 'PropertiesChanged' && resolve(m)),
      );
      const emit = await gdbus(
        'emit',
        '--system',
        '--object-path',
        '/org/freedesktop/login1/session/c2',
        '--signal',
        'org.freedesktop.DBus.Properties.PropertiesChanged',
        "'org.freedesktop.login1.Session'",
        "{'LockedHint': <true>, 'IdleSinceHint': <uint64 1700000000000000>, 'Seat': <('seat0', objectpath '/org/freedesktop/login1/seat/seat0')>, 'Type': <'x11'>}",
        "['Name', 'Über']",
      );
      expect(emit.stderr).toBe('');
      const message = await received;
      expect(message.signature).toBe('sa{sv}as');
      expect(message.body).toEqual([
        'org.freedesktop.login1.Session',
        [
          ['LockedHint', { signature: 'b', value: true }],
          ['IdleSinceHint', { signature: 't', value: 1_700_000_000_000_000n }],
          ['Seat', { signature: '(so)', value: ['seat0', '/org/freedesktop/login1/seat/seat0'] }],
          ['Type', { signature: 's', value: 'x11' }],
        ],
        ['Name', 'Über'],
      ]);
    } finally {
      observer.close();
      logind.close();
      await bus.close();
    }
  });
});
