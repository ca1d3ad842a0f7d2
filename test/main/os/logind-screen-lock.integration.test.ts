import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DbusConnection } from '../../../main/os/dbus/dbus-connection.js';
import type { DbusMessage } from '../../../main/os/dbus/dbus-wire.js';
import { followLogindScreenLock } from '../../../main/os/logind-screen-lock.js';
import { dbusMissingReason, SESSION_PATH, startFakeLogind, startPrivateBus } from './support/private-bus.js';

const missing = dbusMissingReason();
if (missing) console.log(`skipping the logind screen-lock tests: ${missing}`);

/**
 * What a callback reported, and a wait for the n-th report: the daemon and the fake logind are separate
 * processes and sockets, so a test waits for the report itself, never for a fixed time.
 */
class Reports {
  readonly items: string[] = [];
  private readonly waiting = new Set<() => void>();

  readonly push = (item: string): void => {
    this.items.push(item);
    for (const wake of this.waiting) wake();
  };

  /** Resolves once `count` reports have arrived; fails after ten seconds naming what never came. */
  reach(count: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const deadline = setTimeout(() => {
        this.waiting.delete(check);
        reject(new Error(`timed out waiting for ${what}`));
      }, 10_000);
      const check = () => {
        if (this.items.length < count) return;
        clearTimeout(deadline);
        this.waiting.delete(check);
        resolve();
      };
      this.waiting.add(check);
      check();
    });
  }
}

describe.skipIf(missing !== undefined)(
  'following the desktop screen lock through logind, on a real dbus-daemon',
  () => {
    let bus: Awaited<ReturnType<typeof startPrivateBus>>;
    const closers: (() => unknown)[] = [];
    let locks: Reports;
    let warnings: Reports;
    /** Every bus connection the follower opened, latest last. */
    let opened: DbusConnection[];
    const log = { info: () => undefined, warn: (m: string) => warnings.push(m) };

    beforeEach(async () => {
      locks = new Reports();
      warnings = new Reports();
      opened = [];
      bus = await startPrivateBus();
    });
    afterEach(async () => {
      for (const close of closers.splice(0).reverse()) await close();
      await bus.close();
    });

    async function follow(pid = process.pid) {
      const stop = await followLogindScreenLock({
        connect: async () => {
          const connection = await DbusConnection.open(bus.address);
          opened.push(connection);
          return connection;
        },
        pid,
        onLock: locks.push,
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
      await locks.reach(1, 'the Lock signal');
      fake.lockedHint(true);
      await locks.reach(2, 'LockedHint');
      // Unlock and the cleared hint came first from the same sender, so they had been handled: no lock from them.
      expect(locks.items).toEqual([
        'the desktop asked its session to lock (logind Lock)',
        'the desktop locked its screen (logind LockedHint)',
      ]);
      expect(warnings.items).toEqual([]);
    });

    it("ignores another session's lock and a Lock signal forged by any other process", async () => {
      const fake = await logind();
      await follow();
      // An observer on the same bus sees both look-alikes, so the daemon has routed them before the genuine lock.
      const observer = await DbusConnection.open(bus.address);
      closers.push(() => observer.close());
      await observer.addMatch({ type: 'signal', interface: 'org.freedesktop.login1.Session', member: 'Lock' });
      const lookAlikes = new Reports();
      observer.on('message', (m: DbusMessage) => m.member === 'Lock' && lookAlikes.push(m.path ?? ''));
      const otherSession = '/org/freedesktop/login1/session/c7';
      fake.lock(otherSession);
      // gdbus is an independent D-Bus implementation; its signal has the right path and name but not logind's sender.
      const forged = spawnSync(
        'gdbus',
        ['emit', '--system', '--object-path', SESSION_PATH, '--signal', 'org.freedesktop.login1.Session.Lock'],
        { env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: bus.address } },
      );
      expect(forged.status, forged.stderr.toString()).toBe(0);
      await lookAlikes.reach(2, "the observer to see another session's lock and the forged one");
      expect(lookAlikes.items.toSorted()).toEqual([otherSession, SESSION_PATH].toSorted());
      fake.lockedHint(true); // the one genuine lock, sent after the look-alikes had been routed
      await locks.reach(1, 'the genuine lock');
      expect(locks.items).toEqual(['the desktop locked its screen (logind LockedHint)']);
    });

    it('goes on following after logind restarts and takes its bus name again', async () => {
      const first = await logind();
      await follow();
      first.close();
      const second = await logind();
      second.lock();
      await locks.reach(1, 'the restarted logind lock');
      expect(warnings.items).toEqual([]);
    });

    it('says why it follows nothing: no session for CareShell, no logind, no bus', async () => {
      await logind({ sessionFor: () => undefined });
      await follow();
      expect(warnings.items.pop()).toBe(
        'os: the screen lock of the desktop is not followed: CareShell is not running inside a logind session. CareShell still locks on its idle timer, on sleep and on a tap-out.',
      );

      for (const close of closers.splice(0).reverse()) await close();
      await follow();
      expect(warnings.items.pop()).toMatch(/not followed: logind is not running\./);

      const stop = await followLogindScreenLock({
        connect: () => DbusConnection.open('unix:path=/nonexistent/careshell/bus'),
        pid: process.pid,
        onLock: locks.push,
        log,
      });
      stop();
      expect(warnings.items.pop()).toMatch(
        /^os: the screen lock of the desktop is not followed: no system bus \(.*ENOENT.*\)\. CareShell still locks/,
      );
      expect(locks.items).toEqual([]);
    });

    it('says so when the system bus goes away, and nothing when it is stopped on purpose', async () => {
      await logind();
      const stop = await follow();
      // The follower listens for its connection closing; once this later listener has run, so has the follower's.
      const closed = once(opened.at(-1)!, 'close');
      stop();
      await closed;
      expect(warnings.items).toEqual([]);
      await follow();
      await bus.close();
      await warnings.reach(1, 'the lost-bus warning');
      expect(warnings.items).toEqual([
        expect.stringMatching(/^os: lost the system bus .*followed again after CareShell restarts/),
      ]);
    });
  },
);
