// Over 400 lines: every ReaderManager behaviour (start, hot-plug, failures and reopening, status, presence) is
// tested here against the one fake device world defined at the top, which splitting would copy into each file.
import { describe, expect, it } from 'vitest';
import { readerStatusSchema } from '../../../preload/contract.js';
import type { BadgeReaderEvent } from '../../../native/badge-reader.js';
import { createHotplugSource } from '../../../native/manager/hotplug-source.js';
import { parseReaderConfig } from '../../../native/manager/reader-config.js';
import { ReaderManager, type ReaderStatusSummary } from '../../../native/manager/reader-manager.js';
import type { SimulatedReader } from '../../../native/simulated-reader.js';
import { FakeClock } from '../support/fake-clock.js';
import { bytes, FakeHidBackend, FakeHidDevice, FakePcProx } from '../../../bench/support/fake-hid.js';
import { FakeCardReader, fakePcscContext } from '../../../bench/support/fake-pcsc.js';
import { readFileSync } from 'node:fs';

const hidFixture = JSON.parse(
  readFileSync(new URL('../../fixtures/readers/hid-data.json', import.meta.url), 'utf8'),
) as {
  badReads: { layout: unknown; report: string }[];
};
const pcproxFixture = JSON.parse(
  readFileSync(new URL('../../fixtures/readers/pcprox.json', import.meta.url), 'utf8'),
) as {
  configPage0NoStrip: string;
  cards: { buffer0: string; buffer1: string; expect: string }[];
};

/** A fake /dev watcher: the test announces hidraw nodes appearing and disappearing. */
function fakeDevWatch() {
  let emit: ((filename: string | null) => void) | undefined;
  return {
    watchDir: (_dir: string, onEvent: (filename: string | null) => void) => {
      emit = onEvent;
      return { close: () => (emit = undefined) };
    },
    fire: (filename: string) => emit?.(filename),
  };
}

function pcproxSetup(platform: NodeJS.Platform) {
  const clock = new FakeClock();
  const backend = new FakeHidBackend();
  const emulator = new FakePcProx(pcproxFixture.configPage0NoStrip);
  const plug = () =>
    backend.plug('/dev/hidraw3', { vendorId: 0x0c27, productId: 0x3bfa }, () => new FakeHidDevice(emulator.answer));
  const dev = fakeDevWatch();
  const hotplug = createHotplugSource({ clock, platform, watchDir: dev.watchDir });
  const config = parseReaderConfig({
    readers: [{ driver: 'pcprox', id: 'desk', description: 'Desk reader' }],
    fallback: 'Sign in with your network password',
  });
  const manager = new ReaderManager({ config, clock, hidBackend: backend, hotplug });
  const events: BadgeReaderEvent[] = [];
  manager.onEvent((e) => events.push(e));
  return { clock, backend, emulator, plug, dev, manager, events };
}

describe('reader policy', () => {
  it('defaults and validates, naming the wrong key', () => {
    const config = parseReaderConfig({ readers: [{ driver: 'pcprox', id: 'a' }] });
    expect(config.readers[0]).toMatchObject({ vendorId: 0x0c27, productId: 0x3bfa, pollIntervalMs: 200 });
    expect(config.debounceMs).toBe(1500);
    expect(() =>
      parseReaderConfig({
        readers: [
          { driver: 'pcprox', id: 'a' },
          { driver: 'simulated', id: 'a' },
        ],
      }),
    ).toThrow(/readers\.1\.id: reader id "a" is used twice/);
    expect(() =>
      parseReaderConfig({
        readers: [{ driver: 'hid-data', id: 'x', vendorId: 1, productId: 2, layout: { offset: 0 } }],
      }),
    ).toThrow(/readers\.0\.layout\.length/);
    expect(() => parseReaderConfig({ readers: [{ driver: 'magstripe', id: 'm' }] })).toThrow(/readers\.0\.driver/);
  });

  it('names a misspelt key instead of silently using the default', () => {
    const cases: [unknown, RegExp][] = [
      [{ debounceMS: 5000 }, /\(root\): Unrecognized key: "debounceMS"/],
      [{ reopen: { initialMS: 100 } }, /reopen: Unrecognized key: "initialMS"/],
      [
        { readers: [{ driver: 'pcprox', id: 'a', pollIntervalMS: 100 }] },
        /readers\.0: Unrecognized key: "pollIntervalMS"/,
      ],
      [
        {
          readers: [
            {
              driver: 'hidraw-wedge',
              id: 'k',
              vendorId: 1,
              productId: 2,
              serial: 'x',
              capture: { id: { kind: 'uid-hex' } },
            },
          ],
        },
        /readers\.0: Unrecognized key: "serial"/,
      ],
      [
        { readers: [{ driver: 'keyboard-wedge', id: 'w', capture: { maxInterkeyMs: 20, id: { kind: 'uid-hex' } } }] },
        /readers\.0\.capture: Unrecognized key: "maxInterkeyMs"/,
      ],
      [
        { readers: [{ driver: 'keyboard-wedge', id: 'w', capture: { id: { kind: 'uid-hex', reverse: true } } }] },
        /readers\.0\.capture\.id: Unrecognized key: "reverse"/,
      ],
      [
        {
          readers: [
            {
              driver: 'hid-data',
              id: 'x',
              vendorId: 1,
              productId: 2,
              layout: { offset: 0, length: 4, content: { kind: 'uid' }, emptyIsRemoved: true },
            },
          ],
        },
        /readers\.0\.layout: Unrecognized key: "emptyIsRemoved"/,
      ],
    ];
    for (const [input, message] of cases) expect(() => parseReaderConfig(input)).toThrow(message);
  });
});

describe('ReaderManager hot-plug (Linux: /dev watch, no polling)', () => {
  it('picks a reader up when its hidraw node appears, and recovers after unplug and re-plug', async () => {
    const { clock, backend, plug, dev, manager, events } = pcproxSetup('linux');
    await manager.start();
    expect(manager.status().readers[0]).toMatchObject({
      state: 'missing',
      message: expect.stringMatching(/No USB 0c27:3bfa reader/),
    });
    expect(readerStatusSchema.parse(manager.status())).toEqual(manager.status());
    expect(manager.status().fallback).toBe('Sign in with your network password');

    // Nothing is enumerated while waiting: the watcher, not a timer, brings the next look.
    const before = backend.enumerations;
    await clock.advance(60_000);
    expect(backend.enumerations).toBe(before);

    plug();
    dev.fire('hidraw3');
    await clock.advance(5);
    expect(manager.status().readers[0]!.state).toBe('ready');
    expect(events.map((e) => e.kind)).toEqual(['attached']);

    // Unplug: the open device fails, the manager reports it and waits.
    backend.unplug('/dev/hidraw3');
    dev.fire('hidraw3');
    await clock.advance(1_000);
    expect(manager.status().readers[0]!.state).toBe('missing');
    expect(events.map((e) => e.kind)).toEqual(['attached', 'detached']);

    const replugAt = clock.monotonicMs();
    plug();
    dev.fire('hidraw3');
    await clock.advance(5);
    expect(manager.status().readers[0]!.state).toBe('ready');
    expect(clock.monotonicMs() - replugAt).toBeLessThan(2_000);
    await manager.stop();
  });
});

describe('ReaderManager hot-plug fallback (no /dev watch)', () => {
  it('looks for a missing reader on a backoff schedule capped under 2 s, and not at all while it is present', async () => {
    const { clock, backend, plug, manager } = pcproxSetup('win32');
    await manager.start();
    await clock.advance(30_000);
    const whileMissing = backend.enumerations;
    expect(whileMissing).toBeGreaterThan(10);
    expect(whileMissing).toBeLessThan(30);

    const replugAt = clock.monotonicMs();
    plug();
    let recovered = -1;
    for (let t = 0; t <= 2_000 && recovered < 0; t += 50) {
      await clock.advance(50);
      if (manager.status().readers[0]!.state === 'ready') recovered = clock.monotonicMs() - replugAt;
    }
    expect(recovered).toBeGreaterThan(0);
    expect(recovered).toBeLessThanOrEqual(2_000);

    const present = backend.enumerations;
    await clock.advance(60_000);
    expect(backend.enumerations).toBe(present);
    await manager.stop();
  });
});

describe('ReaderManager reopen with backoff', () => {
  it('reports an open failure for IT and retries with doubling delays until it works', async () => {
    const { clock, backend, plug, manager, events } = pcproxSetup('linux');
    plug();
    backend.failOpen = new Error('Permission denied opening /dev/hidraw3; install the udev rule from docs/readers.md');
    await manager.start();
    expect(manager.status().readers[0]).toMatchObject({ state: 'error', message: expect.stringMatching(/udev rule/) });
    expect(events[0]).toMatchObject({
      kind: 'error',
      readerId: 'desk',
      message: expect.stringMatching(/Permission denied/),
    });
    const opensAt = (t: number) => clock.advance(t).then(() => backend.opens);
    expect(await opensAt(499)).toBe(1);
    expect(await opensAt(1)).toBe(2); // 500 ms
    expect(await opensAt(999)).toBe(2);
    expect(await opensAt(1)).toBe(3); // +1000 ms
    expect(await opensAt(2000)).toBe(4); // +2000 ms
    backend.failOpen = undefined;
    await clock.advance(4005); // the next retry, +4000 ms, and its first command
    expect(manager.status().readers[0]!.state).toBe('ready');
    await manager.stop();
  });
});

describe('ReaderManager status follows runtime failures', () => {
  it('retries a reader whose open failed on the next hot-plug event, not only on its backoff', async () => {
    const { clock, backend, plug, dev, manager } = pcproxSetup('linux');
    plug();
    backend.failOpen = new Error('Permission denied opening /dev/hidraw3; install the udev rule from docs/readers.md');
    await manager.start();
    await clock.advance(3_600); // retried at 0.5, 1.5 and 3.5 s; the next backoff retry is at 7.5 s
    expect(backend.opens).toBe(4);
    expect(manager.status().readers[0]!.state).toBe('error');
    // udev applies the rule: the node's permissions change, which the /dev watch reports.
    backend.failOpen = undefined;
    const fixedAt = clock.monotonicMs();
    dev.fire('hidraw3');
    await clock.advance(10);
    expect(manager.status().readers[0]!.state).toBe('ready');
    expect(clock.monotonicMs() - fixedAt).toBeLessThan(2_000);
    await manager.stop();
  });

  it('shows a PC/SC service failure as the reader status, and reopens it with backoff', async () => {
    const clock = new FakeClock();
    const contexts: ReturnType<typeof fakePcscContext>[] = [];
    const factory = () => {
      const context = fakePcscContext();
      contexts.push(context);
      return context;
    };
    const config = parseReaderConfig({ readers: [{ driver: 'pcsc', id: 'omnikey', description: 'Contactless' }] });
    const manager = new ReaderManager({ config, clock, loadPcsc: async () => factory });
    const statuses: ReaderStatusSummary[] = [];
    manager.onStatus((s) => statuses.push(s));
    await manager.start();
    contexts[0]!.emit('reader', new FakeCardReader('OMNIKEY 5022'));
    expect(manager.status().readers[0]!.state).toBe('ready');

    contexts[0]!.emit('error', new Error('SCardGetStatusChange: the Smart Card Resource Manager is not running'));
    expect(manager.status().readers[0]).toMatchObject({
      state: 'error',
      message: expect.stringMatching(/PC\/SC service reported a problem.*not running/),
    });
    // The banner gets it as is.
    expect(readerStatusSchema.parse(statuses.at(-1))).toMatchObject({
      readers: [{ state: 'error', message: expect.stringMatching(/PC\/SC service/) }],
    });

    await clock.advance(499);
    expect(contexts).toHaveLength(1);
    await clock.advance(1);
    expect(contexts).toHaveLength(2); // reopened after reopen.initialMs
    contexts[1]!.emit('error', new Error('still not running'));
    await clock.advance(999);
    expect(contexts).toHaveLength(2);
    await clock.advance(1);
    expect(contexts).toHaveLength(3); // then twice as long
    contexts[2]!.emit('reader', new FakeCardReader('OMNIKEY 5022'));
    expect(manager.status().readers[0]).toEqual({ id: 'omnikey', description: 'Contactless', state: 'ready' });
    await manager.stop();
  });

  it('keeps a reader ready when one read is refused', async () => {
    const clock = new FakeClock();
    const bad = hidFixture.badReads[0]!;
    const backend = new FakeHidBackend();
    backend.plug('/dev/hidraw1', { vendorId: 1, productId: 2 }, () => new FakeHidDevice());
    const config = parseReaderConfig({
      readers: [{ driver: 'hid-data', id: 'h', vendorId: 1, productId: 2, layout: bad.layout }],
    });
    const manager = new ReaderManager({ config, clock, hidBackend: backend });
    const events: BadgeReaderEvent[] = [];
    manager.onEvent((e) => events.push(e));
    await manager.start();
    backend.lastDevice!.input(bytes(bad.report));
    expect(events.at(-1)).toMatchObject({ kind: 'error', scope: 'read', message: expect.stringMatching(/parity/) });
    expect(manager.status().readers[0]!.state).toBe('ready');
    await manager.stop();
  });

  it('does not show readers as ready once stopped', async () => {
    const clock = new FakeClock();
    const manager = new ReaderManager({
      config: parseReaderConfig({ readers: [{ driver: 'simulated', id: 'a' }] }),
      clock,
    });
    await manager.start();
    expect(manager.status().readers[0]!.state).toBe('ready');
    await manager.stop();
    expect(manager.status().readers[0]).toMatchObject({ state: 'missing', message: expect.stringMatching(/stopped/) });
  });
});

describe('ReaderManager debounce', () => {
  it('folds a held card and a tap read by two drivers into one tap; removal or the window re-arms it', async () => {
    const clock = new FakeClock();
    const config = parseReaderConfig({
      readers: [
        { driver: 'simulated', id: 'a' },
        { driver: 'simulated', id: 'b' },
      ],
      debounceMs: 1000,
    });
    const manager = new ReaderManager({ config, clock });
    const taps: string[] = [];
    manager.onEvent((e) => e.kind === 'tap' && taps.push(`${e.readerId}:${e.badgeId}`));
    await manager.start();
    const a = manager.getReader('a') as SimulatedReader;
    const b = manager.getReader('b') as SimulatedReader;
    for (let i = 0; i < 20; i++) {
      a.tap('H10301:12:3456');
      clock.advanceSync(200); // re-read every 200 ms for 4 s: a held card
    }
    b.tap('H10301:12:3456');
    expect(taps).toEqual(['a:H10301:12:3456']);
    clock.advanceSync(1000);
    b.tap('H10301:12:3456');
    a.tap('uid:04a1b2c3');
    expect(taps).toEqual(['a:H10301:12:3456', 'b:H10301:12:3456', 'a:uid:04a1b2c3']);
    a.remove();
    a.tap('uid:04a1b2c3');
    expect(taps.at(-1)).toBe('a:uid:04a1b2c3');
    expect(taps).toHaveLength(4);
    expect(manager.status().readers.map((r) => r.state)).toEqual(['ready', 'ready']);
    expect(manager.keyboardWedgeReaders()).toEqual([]);
  });

  it('debounces on the keyed badge hash when given one, and keeps nothing past the window', async () => {
    const clock = new FakeClock();
    const hashed: string[] = [];
    // A deliberately colliding "hash": two different cards that hash alike are one tap, so the comparison is on the hash.
    const hashBadgeId = (id: string) => {
      hashed.push(id);
      return `hmac-of-${id.length}`;
    };
    const config = parseReaderConfig({ readers: [{ driver: 'simulated', id: 'a' }], debounceMs: 1000 });
    const manager = new ReaderManager({ config, clock, hashBadgeId });
    const taps: string[] = [];
    manager.onEvent((e) => e.kind === 'tap' && taps.push(e.badgeId));
    await manager.start();
    const a = manager.getReader('a') as SimulatedReader;
    a.tap('H10301:12:3456');
    a.tap('H10301:12:3457');
    expect(taps).toEqual(['H10301:12:3456']);
    expect(hashed).toEqual(['H10301:12:3456', 'H10301:12:3457']);
    expect(clock.pendingTimers).toBe(1); // the entry is dropped when its window ends
    clock.advanceSync(1000);
    expect(clock.pendingTimers).toBe(0);
    a.tap('H10301:12:3457');
    expect(taps).toEqual(['H10301:12:3456', 'H10301:12:3457']);
    await manager.stop();
  });

  it('passes removal on only from walk-away (presence) readers, naming the card that left', async () => {
    const clock = new FakeClock();
    const config = parseReaderConfig({
      readers: [
        { driver: 'simulated', id: 'desk' },
        { driver: 'simulated', id: 'door', presence: true },
      ],
    });
    expect(config.readers.map((r) => r.presence)).toEqual([false, true]);
    const manager = new ReaderManager({ config, clock });
    const events: BadgeReaderEvent[] = [];
    manager.onEvent((e) => events.push(e));
    await manager.start();
    const desk = manager.getReader('desk') as SimulatedReader;
    const door = manager.getReader('door') as SimulatedReader;
    desk.tap('H10301:12:3456');
    desk.remove(); // badge + PIN: lifting the badge before typing the PIN must not lock
    door.tap('uid:04a1b2c3');
    door.remove();
    expect(events.filter((e) => e.kind === 'tap' || e.kind === 'removed')).toEqual([
      { kind: 'tap', readerId: 'desk', badgeId: 'H10301:12:3456', format: 'H10301' },
      { kind: 'tap', readerId: 'door', badgeId: 'uid:04a1b2c3', format: 'uid' },
      { kind: 'removed', readerId: 'door', badgeId: 'uid:04a1b2c3' },
    ]);
    // Removal from either reader still re-arms the debounce: the same card tapped again is a new tap.
    desk.tap('H10301:12:3456');
    desk.remove();
    desk.tap('H10301:12:3456');
    expect(events.filter((e) => e.kind === 'tap')).toHaveLength(4);
  });

  it('refuses presence on readers that cannot tell when a card leaves', () => {
    expect(() =>
      parseReaderConfig({
        readers: [{ driver: 'keyboard-wedge', id: 'w', presence: true, capture: { id: { kind: 'uid-hex' } } }],
      }),
    ).toThrow(/readers\.0\.presence: a keyboard-wedge reader cannot tell when a badge is removed/);
    const layout = { offset: 0, length: 4, content: { kind: 'uid' } };
    expect(() =>
      parseReaderConfig({
        readers: [{ driver: 'hid-data', id: 'h', vendorId: 1, productId: 2, presence: true, layout }],
      }),
    ).toThrow(/readers\.0\.presence: .*emptyMeansRemoved: true/);
    expect(
      parseReaderConfig({
        readers: [
          {
            driver: 'hid-data',
            id: 'h',
            vendorId: 1,
            productId: 2,
            presence: true,
            layout: { ...layout, emptyMeansRemoved: true },
          },
        ],
      }).readers[0]!.presence,
    ).toBe(true);
  });

  it('shows a PC/SC reader whose binding is missing as an error that says what to install', async () => {
    const clock = new FakeClock();
    const config = parseReaderConfig({ readers: [{ driver: 'pcsc', id: 'omnikey' }] });
    const manager = new ReaderManager({
      config,
      clock,
      loadPcsc: () => Promise.reject(new Error('PC/SC support is not installed; install pcscd and @pokusew/pcsclite')),
    });
    const events: BadgeReaderEvent[] = [];
    manager.onEvent((e) => events.push(e));
    await manager.start();
    expect(manager.status().readers[0]).toMatchObject({
      state: 'error',
      message: expect.stringMatching(/not installed/),
    });
    expect(events).toEqual([
      { kind: 'error', readerId: 'omnikey', message: expect.stringMatching(/pcscd/), scope: 'reader' },
    ]);
    await manager.stop();
  });
});
