import { EventEmitter } from 'node:events';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/manual-clock.js';
import { watchFolder, watchMachinePolicy } from '../../../main/policy/machine-policy-watcher.js';
import { until } from '../audit/support/poll.js';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const step of cleanups.splice(0).reverse()) await step();
});

async function setup() {
  const dir = await mkdtemp(path.join(tmpdir(), 'careshell-policy-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'policy.json');
  await writeFile(file, '{"version":1}');
  const clock = new ManualClock();
  let changes = 0;
  const warnings: string[] = [];
  // The real folder watch, told after the watcher has handled each event: what a test waits for before
  // asserting that an event changed nothing.
  const handled = new EventEmitter<{ event: [string | null] }>();
  const stop = watchMachinePolicy({
    path: file,
    clock,
    settleMs: 500,
    onChange: () => changes++,
    log: { warn: (m) => warnings.push(m) },
    watchDir: (folder, onEvent) =>
      watchFolder(folder, (filename) => {
        onEvent(filename);
        handled.emit('event', filename);
      }),
  });
  cleanups.push(stop);
  /** Resolves once the watcher has handled an event for that file name (call before causing the event). */
  const handledFor = (name: string) =>
    new Promise<void>((resolve) => {
      const listener = (filename: string | null) => {
        if (filename !== name) return;
        handled.off('event', listener);
        resolve();
      };
      handled.on('event', listener);
    });
  return { dir, file, clock, changes: () => changes, warnings, handledFor };
}

describe('watchMachinePolicy (inotify on the policy folder, no polling)', () => {
  it('reports an edit in place once the file has been quiet for the settle time', async () => {
    const { file, clock, changes } = await setup();
    await writeFile(file, '{"version":1,"profile":"er-kiosk"}');
    await writeFile(file, '{"version":1,"profile":"nurse-cow"}');
    await until(() => clock.pendingTimers() > 0, clock, 'the change to be seen', { stepMs: 0 });
    clock.advance(499);
    expect(changes()).toBe(0);
    clock.advance(1);
    expect(changes()).toBe(1);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('sees the file replaced by rename (how configuration management installs it), and ignores other files', async () => {
    const { dir, file, clock, changes, handledFor } = await setup();
    const notes = handledFor('notes.txt');
    await writeFile(path.join(dir, 'notes.txt'), 'not the policy');
    await notes;
    expect(clock.pendingTimers()).toBe(0);
    const staged = path.join(dir, '.policy.json.tmp');
    const stagedSeen = handledFor('.policy.json.tmp');
    await writeFile(staged, '{"version":1,"profile":"er-kiosk"}');
    await stagedSeen;
    expect(clock.pendingTimers()).toBe(0);
    const replaced = handledFor('policy.json');
    await rename(staged, file);
    await replaced;
    expect(clock.pendingTimers()).toBe(1);
    clock.advance(500);
    expect(changes()).toBe(1);
  });

  it('says when the folder cannot be watched, and that changes then wait for a restart', async () => {
    const clock = new ManualClock();
    const warnings: string[] = [];
    const stop = watchMachinePolicy({
      path: '/nonexistent-careshell/policy.json',
      clock,
      onChange: () => {},
      log: { warn: (m) => warnings.push(m) },
    });
    stop();
    expect(warnings).toEqual([
      expect.stringMatching(
        /^policy: cannot watch \/nonexistent-careshell .*policy changes apply when CareShell restarts\.$/,
      ),
    ]);
  });
});
