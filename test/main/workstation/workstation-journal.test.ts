import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/manual-clock.js';
import { systemRandom } from '../../../common/random.js';
import { recordStartProblem } from '../../../main/workstation/workstation-journal.js';
import { readEvents } from '../../../main/audit/journal/journal-reader.js';
import { verifyJournal } from '../../../main/audit/journal/verify-journal.js';
import { FileAuditKeyStore } from '../../../main/audit/keys/file-audit-key-store.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});
const protector = { name: 'none (test)', protect: (b: Buffer) => b, unprotect: (b: Buffer) => b };

describe('recordStartProblem', () => {
  it('puts each start problem in the audit trail, in a journal that verifies across reopenings', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'careshell-rejected-'));
    dirs.push(dataDir);
    const clock = new ManualClock();
    const options = { dataDir, protector, clock, random: systemRandom, workstation: 'COW-3F-12' };
    const reason = '/etc/careshell/policy.json: session.graceMinutes: Too big: expected number to be <=480';
    await recordStartProblem(options, { type: 'policy.invalid', reason, details: { problems: 1 } });
    await recordStartProblem(options, { type: 'workstation.start_failed', reason: 'the audit journal is damaged' });
    const { events } = await readEvents(path.join(dataDir, 'audit'), undefined, { maxEvents: 100 });
    expect(events.map((e) => [e.event.type, e.event.outcome])).toEqual([
      ['policy.invalid', 'failure'],
      ['workstation.start_failed', 'failure'],
    ]);
    expect(events[0]!.event).toMatchObject({ reason, workstation: 'COW-3F-12', details: { problems: 1 } });
    const keys = await new FileAuditKeyStore({ directory: path.join(dataDir, 'audit-keys'), protector }).publicKeys();
    expect((await verifyJournal(path.join(dataDir, 'audit'), keys)).ok).toBe(true);
  });
});
