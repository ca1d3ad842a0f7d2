import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { statusFilePath, workstationStatusSchema } from '../../../main/health/workstation-status.js';
import { runWorkstation } from '../../../main/workstation/run-workstation.js';
import { FakeHost, goodPolicy } from './support/fake-host.js';

const cleanUps: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

/** Waits are generous: the status file is written from timers and file I/O, slow when the test tiers share the CPUs. */
const WAIT = { timeout: 10_000 };

async function statusOf(host: FakeHost) {
  return workstationStatusSchema.parse(JSON.parse(await readFile(statusFilePath(host.dataDir), 'utf8')));
}

describe('runWorkstation keeps the status file IT reads', () => {
  it('locked on a missing policy, then running once it is installed, then stopped', async () => {
    const host = await FakeHost.create();
    cleanUps.push(() => host.cleanUp());
    const run = runWorkstation(host, { watchPolicy: host.watchPolicy });
    cleanUps.push(() => run.stop());
    await run.ready;
    await vi.waitFor(async () => expect((await statusOf(host)).state).toBe('locked'), WAIT);
    expect((await statusOf(host)).problem).toMatchObject({ kind: 'not-configured' });

    await host.writePolicy(goodPolicy({ health: { heartbeatMinutes: 5 } }));
    host.policyChanged();
    await vi.waitFor(async () => expect((await statusOf(host)).state).toBe('running'), WAIT);
    expect(await statusOf(host)).toMatchObject({
      workstation: host.workstation,
      policy: { source: host.policySource.describe(), formatVersion: 1 },
      readers: [{ id: 'fake-reader', state: 'ready' }],
      heartbeat: { intervalMinutes: 5 },
    });

    host.clock.advance(5 * 60_000);
    await vi.waitFor(
      async () => expect((await host.journal()).map((e) => e.type)).toContain('workstation.heartbeat'),
      WAIT,
    );

    await run.stop();
    expect((await statusOf(host)).state).toBe('stopped');
  });
});
