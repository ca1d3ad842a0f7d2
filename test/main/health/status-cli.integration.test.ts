import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/manual-clock.js';
import { startHealthMonitor, type HealthReading } from '../../../main/health/health-monitor.js';
import { statusFilePath } from '../../../main/health/workstation-status.js';

const BIN = fileURLToPath(new URL('../../../bin/careshell-status.js', import.meta.url));

function careshellStatus(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'careshell-status-bin-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('the careshell-status bin, spawned', () => {
  it('reads what a monitor in another process wrote: this test process is the "app", so it is running', async () => {
    let reading: HealthReading = { state: 'locked', problem: { kind: 'not-configured', message: 'no policy yet' } };
    // A real clock's wall time: the CLI compares the file's staleAfter with its own clock.
    const clock = new ManualClock(new Date());
    const health = startHealthMonitor({
      clock,
      workstation: 'COW-3F-12',
      appVersion: '1.2.3',
      policySource: '/etc/careshell/policy.json',
      statusFile: statusFilePath(dataDir),
      read: () => reading,
      log: { warn: (m) => expect.fail(m) },
    });
    await health.changed();

    const locked = await careshellStatus('--data-dir', dataDir);
    expect(locked.stderr).toBe('');
    expect(locked.code).toBe(1);
    expect(JSON.parse(locked.stdout)).toMatchObject({
      verdict: 'locked',
      status: { app: { pid: process.pid, version: '1.2.3' }, workstation: 'COW-3F-12' },
    });

    reading = { state: 'stopped' };
    await health.stop();
    const stopped = await careshellStatus('--data-dir', dataDir);
    expect(stopped.code).toBe(1);
    expect(JSON.parse(stopped.stdout)).toMatchObject({ verdict: 'not-running' });
  });

  it('an empty data folder: not-running, exit 1; a bad option: exit 2', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'careshell-status-empty-'));
    try {
      const none = await careshellStatus('--data-dir', empty);
      expect(none.code).toBe(1);
      expect(JSON.parse(none.stdout)).toMatchObject({ verdict: 'not-running' });
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
    const bad = await careshellStatus('--bogus');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Usage/);
  });
});
