import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ManualClock } from '../../../../common/manual-clock.js';
import { systemRandom } from '../../../../common/random.js';
import type { AuditEvent, AuditEventType } from '../../../../main/audit/audit-event.js';
import type { AuditJournalOptions } from '../../../../main/audit/journal/audit-journal.js';
import { AuditJournal } from '../../../../main/audit/journal/audit-journal.js';
import { FileAuditKeyStore } from '../../../../main/audit/keys/file-audit-key-store.js';

/** A journal in a fresh temporary directory, with its key store and a manual clock. */
export async function journalFixture(settings: Partial<AuditJournalOptions> = {}) {
  const root = await mkdtemp(path.join(tmpdir(), 'careshell-audit-'));
  const directory = path.join(root, 'journal');
  const keyStore = new FileAuditKeyStore(path.join(root, 'keys'));
  const clock = new ManualClock();
  const open = () => AuditJournal.open({ directory, keyStore, clock, random: systemRandom, workstation: 'COW-3F-12', ...settings });
  return {
    root,
    directory,
    keysDirectory: path.join(root, 'keys'),
    keyStore,
    clock,
    open,
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

export function sampleEvent(type: AuditEventType = 'session.sign_in', n = 0, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    type,
    at: new Date(Date.UTC(2026, 0, 1, 8, 0, 0, n)).toISOString(),
    workstation: 'COW-3F-12',
    actor: { userId: `user-${n}`, displayName: 'Dr. Ana Example', badgeHash: 'ab'.repeat(32), roles: ['physician'] },
    outcome: 'success',
    reason: 'badge tap',
    details: { n },
    ...overrides,
  };
}
