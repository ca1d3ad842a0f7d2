import { watch as fsWatch } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../common/clock.js';
import { messageOf } from '../../common/errors.js';

export interface MachinePolicyWatchOptions {
  /** The machine policy file (/etc/careshell/policy.json in production). */
  path: string;
  clock: Clock;
  /** Called once the file has been quiet for `settleMs` after a change (an editor or agent writes in steps). */
  onChange(): void;
  settleMs?: number;
  log: { warn(message: string): void };
  /** Injected for tests; defaults to node:fs watch. */
  watchDir?: (
    dir: string,
    onEvent: (filename: string | null) => void,
  ) => { close(): void; on?(event: 'error', listener: (error: Error) => void): unknown };
}

/**
 * Tells the app when IT changed the machine policy, without polling: inotify (fs.watch) on the file's folder,
 * not on the file, because configuration management replaces the file (write a temp file, rename over it),
 * which a watch on the old file would never see.
 */
export function watchMachinePolicy(options: MachinePolicyWatchOptions): () => void {
  const dir = path.dirname(options.path);
  const name = path.basename(options.path);
  const settleMs = options.settleMs ?? 500;
  const watchDir =
    options.watchDir ??
    ((folder: string, onEvent: (filename: string | null) => void) =>
      fsWatch(folder, { persistent: false }, (_event, filename) =>
        onEvent(filename === null ? null : String(filename)),
      ));
  let cancelSettle: (() => void) | undefined;
  const changed = () => {
    cancelSettle?.();
    cancelSettle = options.clock.setTimer(settleMs, () => {
      cancelSettle = undefined;
      options.onChange();
    });
  };
  let watcher: ReturnType<typeof watchDir> | undefined;
  try {
    watcher = watchDir(dir, (filename) => {
      if (filename === null || filename === name) changed();
    });
    watcher.on?.('error', (error) =>
      options.log.warn(
        `policy: stopped watching ${dir} (${error.message}); restart CareShell to apply policy changes.`,
      ),
    );
  } catch (error) {
    options.log.warn(
      `policy: cannot watch ${dir} (${messageOf(error)}); policy changes apply when CareShell restarts.`,
    );
  }
  return () => {
    cancelSettle?.();
    cancelSettle = undefined;
    watcher?.close();
  };
}
