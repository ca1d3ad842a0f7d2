import type * as NodeFs from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createHotplugSource } from '../../../native/manager/hotplug-source.js';
import { FakeClock } from '../support/fake-clock.js';

describe('hot-plug source', () => {
  it.runIf(process.platform === 'linux')(
    'Linux: a real inotify watch reports hidraw nodes and nothing else',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'careshell-dev-'));
      const changes: string[] = [];
      const clock = new FakeClock();
      const source = createHotplugSource({ clock, platform: 'linux', devDir: dir });
      let seen: () => void = () => undefined;
      const sawHidraw = new Promise<void>((resolve) => (seen = resolve));
      const stop = source.watch(() => {
        changes.push('change');
        seen();
      });
      source.setWanted(true);
      writeFileSync(join(dir, 'tty9'), '');
      writeFileSync(join(dir, 'hidraw7'), '');
      await sawHidraw;
      // inotify keeps order: had tty9 counted, it would have been reported before hidraw7.
      expect(changes).toHaveLength(1);
      stop();
      rmSync(dir, { recursive: true });
      expect(clock.pendingTimers).toBe(0); // inotify in use: no discovery timer even while a reader is wanted
    },
  );

  it('elsewhere: ticks only while wanted, backing off from 250 ms to 1.5 s', async () => {
    const clock = new FakeClock();
    const source = createHotplugSource({ clock, platform: 'darwin' });
    const ticks: number[] = [];
    source.watch(() => ticks.push(clock.monotonicMs()));
    clock.advanceSync(10_000);
    expect(ticks).toEqual([]);
    source.setWanted(true);
    clock.advanceSync(6_000);
    expect(ticks.map((t) => t - 10_000)).toEqual([250, 750, 1750, 3250, 4750]);
    source.setWanted(false);
    clock.advanceSync(10_000);
    expect(ticks).toHaveLength(5);
  });
});

describe('hot-plug source when the /dev watch breaks', () => {
  it('falls back to ticking while a reader is missing, instead of crashing or going silent', () => {
    const clock = new FakeClock();
    let fail: ((error: Error) => void) | undefined;
    let closed = 0;
    const source = createHotplugSource({
      clock,
      platform: 'linux',
      watchDir: (_dir, _onEvent, onError) => {
        fail = onError;
        return { close: () => closed++ };
      },
    });
    const ticks: number[] = [];
    source.watch(() => ticks.push(clock.monotonicMs()));
    source.setWanted(true);
    clock.advanceSync(5_000);
    expect(ticks).toEqual([]); // inotify in use: no timer
    fail!(new Error('ENOSPC: inotify watch limit reached'));
    expect(closed).toBe(1);
    expect(ticks).toEqual([5_000]); // one look at once, in case something changed unseen
    clock.advanceSync(2_000);
    expect(ticks.map((t) => t - 5_000)).toEqual([0, 250, 750, 1750]);
  });
});

describe('hot-plug source with the real fs.watch wiring', () => {
  it('listens for watcher errors (an unhandled one would throw in the main process)', async () => {
    const { EventEmitter } = await import('node:events');
    const watcher = Object.assign(new EventEmitter(), { close: () => undefined });
    vi.resetModules();
    vi.doMock('node:fs', async (importOriginal) => ({
      ...(await importOriginal<typeof NodeFs>()),
      watch: () => watcher,
    }));
    try {
      const { createHotplugSource: create } = await import('../../../native/manager/hotplug-source.js');
      const clock = new FakeClock();
      const source = create({ clock, platform: 'linux' });
      const ticks: number[] = [];
      source.watch(() => ticks.push(clock.monotonicMs()));
      source.setWanted(true);
      expect(() => watcher.emit('error', new Error('EMFILE'))).not.toThrow();
      clock.advanceSync(300);
      expect(ticks).toEqual([0, 250]);
    } finally {
      vi.doUnmock('node:fs');
      vi.resetModules();
    }
  });
});
