import { chmod, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/manual-clock.js';
import { watchMachinePolicy } from '../../../main/policy/machine-policy-watcher.js';
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
  const stop = watchMachinePolicy({
    path: file,
    clock,
    settleMs: 500,
    onChange: () => changes++,
    log: { warn: (m) => warnings.push(m) },
  });
  cleanups.push(stop);
  return { dir, file, clock, changes: () => changes, warnings };
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

  it('sees the file replaced by rename (how configuration management installs it)', async () => {
    const { dir, file, clock, changes } = await setup();
    const staged = path.join(dir, '.policy.json.tmp');
    await writeFile(staged, '{"version":1,"profile":"er-kiosk"}');
    await rename(staged, file);
    await until(() => changes() === 1, clock, 'the replaced file to be reported', { stepMs: 100 });
  });

  it('ignores every other file in the folder', () => {
    const clock = new ManualClock();
    let deliver: (filename: string | null) => void = () => {};
    const stop = watchMachinePolicy({
      path: '/etc/careshell/policy.json',
      clock,
      onChange: () => {},
      log: { warn: () => {} },
      watchDir: (_dir, onEvent) => {
        deliver = onEvent;
        return { close: () => {} };
      },
    });
    cleanups.push(stop);
    deliver('notes.txt');
    deliver('.policy.json.tmp');
    expect(clock.pendingTimers()).toBe(0);
    deliver('policy.json');
    expect(clock.pendingTimers()).toBe(1);
  });

  it('on a fresh install without the policy folder, sees IT create it and install the first policy', async () => {
    const parent = await mkdtemp(path.join(tmpdir(), 'careshell-fresh-'));
    cleanups.push(() => rm(parent, { recursive: true, force: true }));
    const clock = new ManualClock();
    let changes = 0;
    const warnings: string[] = [];
    cleanups.push(
      watchMachinePolicy({
        path: path.join(parent, 'careshell', 'policy.json'),
        clock,
        onChange: () => changes++,
        log: { warn: (m) => warnings.push(m) },
      }),
    );
    await mkdir(path.join(parent, 'careshell'));
    await chmod(path.join(parent, 'careshell'), 0o755);
    await writeFile(path.join(parent, 'careshell', 'policy.json'), '{"version":1}');
    await until(() => changes > 0, clock, 'the first policy to be reported', { stepMs: 100 });
    expect(warnings).toEqual([]);
  });

  it('says when not even the parent folder can be watched, and that changes then wait for a restart', () => {
    const clock = new ManualClock();
    const warnings: string[] = [];
    const stop = watchMachinePolicy({
      path: '/nonexistent-careshell/careshell/policy.json',
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
