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
 * which a watch on the old file would never see. On a fresh install the folder itself may not exist yet: its
 * parent is watched until IT creates it, so installing the first policy is seen too.
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
  const cannotWatch = (folder: string, error: unknown) =>
    options.log.warn(
      `policy: cannot watch ${folder} (${messageOf(error)}); policy changes apply when CareShell restarts.`,
    );
  let watcher: ReturnType<typeof watchDir> | undefined;
  let parentWatcher: ReturnType<typeof watchDir> | undefined;
  /** Starts watching the policy folder; false when it does not exist (yet). */
  const watchFolder = (): boolean => {
    try {
      watcher = watchDir(dir, (filename) => {
        if (filename === null || filename === name) changed();
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') cannotWatch(dir, error);
      return false;
    }
    watcher.on?.('error', (error) =>
      options.log.warn(
        `policy: stopped watching ${dir} (${error.message}); restart CareShell to apply policy changes.`,
      ),
    );
    return true;
  };
  if (!watchFolder()) {
    const parent = path.dirname(dir);
    try {
      parentWatcher = watchDir(parent, (filename) => {
        if (watcher || (filename !== null && filename !== path.basename(dir)) || !watchFolder()) return;
        parentWatcher?.close();
        parentWatcher = undefined;
        // The file may have been written before the folder's watch began.
        changed();
      });
    } catch (error) {
      cannotWatch(parent, error);
    }
  }
  return () => {
    cancelSettle?.();
    cancelSettle = undefined;
    watcher?.close();
    parentWatcher?.close();
  };
}
