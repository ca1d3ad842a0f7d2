import { watch as fsWatch, type FSWatcher } from 'node:fs';
import type { Clock } from '../../common/clock.js';

/**
 * Tells the reader manager when HID devices may have come or gone. node-hid has no hot-plug events and
 * every enumeration is a USB bus walk, so:
 * - Linux: inotify on /dev (fs.watch) reports hidraw nodes being created, removed or given new
 *   permissions (udev applying the rule after the node appeared). It costs nothing
 *   while nothing changes and reacts within milliseconds. /dev is watched, not /dev/hidraw*, because a
 *   node that does not exist yet cannot be watched.
 * - elsewhere (and if /dev cannot be watched, or its watch fails later): a discovery tick only while some
 *   configured HID reader is missing, starting fast and backing off to `maxIntervalMs`, which stays under
 *   the 2 s recovery target.
 *   Nothing is polled while all readers are present; an open reader's unplug is seen by its own I/O error.
 */
export interface HotplugSource {
  /** Starts watching; `onChange` may fire spuriously. Returns a stop function. */
  watch(onChange: () => void): () => void;
  /** The manager says whether a device-backed reader is missing (the fallback ticks only then). */
  setWanted(wanted: boolean): void;
}

export interface HotplugOptions {
  clock: Clock;
  platform?: NodeJS.Platform;
  /** Injected for tests; defaults to node:fs watch. `onError`: the watch broke after it started. */
  watchDir?: (
    dir: string,
    onEvent: (filename: string | null) => void,
    onError: (error: Error) => void,
  ) => { close(): void };
  minIntervalMs?: number;
  maxIntervalMs?: number;
  /** Where hidraw nodes appear; '/dev' except in tests. */
  devDir?: string;
}

export function createHotplugSource(options: HotplugOptions): HotplugSource {
  const platform = options.platform ?? process.platform;
  const watchDir =
    options.watchDir ??
    ((dir: string, onEvent: (filename: string | null) => void, onError: (error: Error) => void): FSWatcher =>
      // Without an 'error' listener a failing watcher would throw in the main process.
      fsWatch(dir, { persistent: false }, (_event, filename) =>
        onEvent(filename === null ? null : String(filename)),
      ).on('error', onError));
  const minIntervalMs = options.minIntervalMs ?? 250;
  const maxIntervalMs = options.maxIntervalMs ?? 1500;

  let onChange: (() => void) | undefined;
  let wanted = false;
  let usingInotify = false;
  let cancelTick: (() => void) | undefined;
  let interval = minIntervalMs;

  const scheduleTick = () => {
    cancelTick?.();
    cancelTick = undefined;
    if (!onChange || !wanted || usingInotify) return;
    cancelTick = options.clock.setTimer(interval, () => {
      cancelTick = undefined;
      interval = Math.min(interval * 2, maxIntervalMs);
      onChange?.();
      scheduleTick();
    });
  };

  return {
    watch(listener) {
      onChange = listener;
      let watcher: { close(): void } | undefined;
      /** The watch broke (e.g. inotify gave up): fall back to ticking while a reader is missing. */
      const fallBack = () => {
        watcher?.close();
        watcher = undefined;
        usingInotify = false;
        interval = minIntervalMs;
        onChange?.(); // something may have changed unseen
        scheduleTick();
      };
      if (platform === 'linux') {
        try {
          watcher = watchDir(
            options.devDir ?? '/dev',
            (filename) => {
              // A null filename means the kernel could not say which entry changed: treat it as a change.
              if (filename === null || filename.startsWith('hidraw')) onChange?.();
            },
            () => fallBack(),
          );
          usingInotify = true;
        } catch {
          usingInotify = false;
        }
      }
      scheduleTick();
      return () => {
        onChange = undefined;
        watcher?.close();
        cancelTick?.();
        cancelTick = undefined;
      };
    },
    setWanted(next) {
      if (next === wanted) return;
      wanted = next;
      interval = minIntervalMs;
      scheduleTick();
    },
  };
}
