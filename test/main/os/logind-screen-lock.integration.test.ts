import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DbusConnection } from '../../../main/os/dbus/dbus-connection.js';
import { followLogindScreenLock } from '../../../main/os/logind-screen-lock.js';
import { dbusMissingReason, SESSION_PATH, startFakeLogind, startPrivateBus } from './support/private-bus.js';

const missing = dbusMissingReason();
if (missing) console.log(`skipping the logind screen-lock tests: ${missing}`);

/** Waits for real bus I/O: the daemon and the fake logind are separate processes and sockets. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let round = 0; round < 400; round++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.skipIf(missing !== undefined)(
  'following the desktop screen lock through logind, on a real dbus-daemon',
  () => {
    let bus: Awaited<ReturnType<typeof startPrivateBus>>;
    const closers: (() => unknown)[] = [];
    const locks: string[] = [];
    const warnings: string[] = [];
    const log = { info: () => undefined, warn: (m: string) => warnings.push(m) };

    beforeEach(async () => {
      locks.length = 0;
      warnings.length = 0;
      bus = await startPrivateBus();
    });
    afterEach(async () => {
      for (const close of closers.splice(0).reverse()) await close();
      await bus.close();
    });

    async function follow(pid = process.pid) {
      const stop = await followLogindScreenLock({
        connect: () => DbusConnection.open(bus.address),
        pid,
        onLock: (reason) => locks.push(reason),
        log,
      });
      closers.push(stop);
      return stop;
    }
    async function logind(options?: Parameters<typeof startFakeLogind>[1]) {
      const fake = await startFakeLogind(bus.address, options);
      closers.push(fake.close);
      return fake;
    }

    it("locks on the session's Lock signal and on LockedHint, never on Unlock or a cleared hint", async () => {
      const fake = await logind();
      await follow();
      fake.unlock();
      fake.lockedHint(false);
      fake.lock();
      await until(() => locks.length === 1, 'the Lock signal');
      fake.lockedHint(true);
      await until(() => locks.length === 2, 'LockedHint');
      expect(locks).toEqual([
        'the desktop asked its session to lock (logind Lock)',
        'the desktop locked its screen (logind LockedHint)',
      ]);
      expect(warnings).toEqual([]);
    });

    it("ignores another session's lock and a Lock signal forged by any other process", async () => {
      const fake = await logind();
      await follow();
      fake.lock('/org/freedesktop/login1/session/c7');
      // gdbus is an independent D-Bus implementation; its signal has the right path and name but not logind's sender.
      const forged = spawnSync(
        'gdbus',
        ['emit', '--system', '--object-path', SESSION_PATH, '--signal', 'org.freedesktop.login1.Session.Lock'],
        { env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: bus.address } },
      );
      expect(forged.status, forged.stderr.toString()).toBe(0);
      fake.lockedHint(true); // the one genuine lock, sent after the others, so they were delivered (and dropped) first
      await until(() => locks.length > 0, 'the genuine lock');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(locks).toEqual(['the desktop locked its screen (logind LockedHint)']);
    });

    it('goes on following after logind restarts and takes its bus name again', async () => {
      const first = await logind();
      await follow();
      first.close();
      const second = await logind();
      second.lock();
      await until(() => locks.length === 1, 'the restarted logind lock');
      expect(warnings).toEqual([]);
    });

    it('says why it follows nothing: no session for CareShell, no logind, no bus', async () => {
      await logind({ sessionFor: () => undefined });
      await follow();
      expect(warnings.pop()).toBe(
        'os: the screen lock of the desktop is not followed: CareShell is not running inside a logind session. CareShell still locks on its idle timer, on sleep and on a tap-out.',
      );

      for (const close of closers.splice(0).reverse()) await close();
      await follow();
      expect(warnings.pop()).toMatch(/not followed: logind is not running\./);

      const stop = await followLogindScreenLock({
        connect: () => DbusConnection.open('unix:path=/nonexistent/careshell/bus'),
        pid: process.pid,
        onLock: () => locks.push('x'),
        log,
      });
      stop();
      expect(warnings.pop()).toMatch(
        /^os: the screen lock of the desktop is not followed: no system bus \(.*ENOENT.*\)\. CareShell still locks/,
      );
      expect(locks).toEqual([]);
    });

    it('says so when the system bus goes away, and nothing when it is stopped on purpose', async () => {
      await logind();
      const stop = await follow();
      stop();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(warnings).toEqual([]);
      await follow();
      await bus.close();
      await until(() => warnings.length === 1, 'the lost-bus warning');
      expect(warnings[0]).toMatch(/^os: lost the system bus .*followed again after CareShell restarts/);
    });
  },
);
