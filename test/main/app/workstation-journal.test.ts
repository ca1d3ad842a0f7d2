import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/manual-clock.js';
import { systemRandom } from '../../../common/random.js';
import { recordRejectedPolicy } from '../../../main/app/workstation-journal.js';
import { readEvents } from '../../../main/audit/journal/journal-reader.js';
import { verifyJournal } from '../../../main/audit/journal/verify-journal.js';
import { FileAuditKeyStore } from '../../../main/audit/keys/file-audit-key-store.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});
const protector = { name: 'none (test)', protect: (b: Buffer) => b, unprotect: (b: Buffer) => b };

describe('recordRejectedPolicy', () => {
  it('puts an invalid machine policy in the audit trail, naming the file and each key, in a journal that verifies', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'careshell-rejected-'));
    dirs.push(dataDir);
    const clock = new ManualClock();
    const problems = [{ path: 'session.graceMinutes', message: 'Too big: expected number to be <=480' }];
    await recordRejectedPolicy({
      dataDir,
      protector,
      clock,
      random: systemRandom,
      workstation: 'COW-3F-12',
      policyPath: '/etc/careshell/policy.json',
      problems,
    });
    await recordRejectedPolicy({
      dataDir,
      protector,
      clock,
      random: systemRandom,
      workstation: 'COW-3F-12',
      policyPath: '/etc/careshell/policy.json',
      problems,
    });
    const { events } = await readEvents(path.join(dataDir, 'audit'), undefined, { maxEvents: 100 });
    expect(events.map((e) => [e.event.type, e.event.outcome])).toEqual([
      ['policy.invalid', 'failure'],
      ['policy.invalid', 'failure'],
    ]);
    expect(events[0]!.event.reason).toBe(
      '/etc/careshell/policy.json: session.graceMinutes: Too big: expected number to be <=480; the workstation stays locked until it is corrected',
    );
    const keys = await new FileAuditKeyStore({ directory: path.join(dataDir, 'audit-keys'), protector }).publicKeys();
    expect((await verifyJournal(path.join(dataDir, 'audit'), keys)).ok).toBe(true);
  });
});
