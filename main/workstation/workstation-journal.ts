import path from 'node:path';
import type { Clock } from '../../common/clock.js';
import type { Random } from '../../common/random.js';
import type { AuditEvent } from '../audit/audit-event.js';
import { auditPolicySchema, type AuditPolicy } from '../audit/forwarding/audit-policy.js';
import { AuditJournal } from '../audit/journal/audit-journal.js';
import { FileAuditKeyStore } from '../audit/keys/file-audit-key-store.js';
import type { KeyProtector } from '../app/installation-secrets.js';

export interface WorkstationJournalOptions {
  /** The installation's data folder: the journal is <dataDir>/audit, its signing key <dataDir>/audit-keys. */
  dataDir: string;
  protector: KeyProtector;
  clock: Clock;
  random: Random;
  workstation: string;
  /** audit.journal from the machine policy; the defaults when there is no valid policy to read them from. */
  settings?: AuditPolicy['journal'];
}

/** This installation's audit journal, with its signing key sealed by the installation's protector. */
export function openWorkstationJournal(options: WorkstationJournalOptions): Promise<AuditJournal> {
  return AuditJournal.open({
    directory: path.join(options.dataDir, 'audit'),
    keyStore: new FileAuditKeyStore({
      directory: path.join(options.dataDir, 'audit-keys'),
      protector: options.protector,
    }),
    clock: options.clock,
    random: options.random,
    workstation: options.workstation,
    ...(options.settings ?? auditPolicySchema.parse({}).journal),
  });
}

/**
 * A workstation that will not start (no policy, an invalid one, a start error) still says so in its audit
 * trail, with the journal's default settings since no policy can be trusted for them, so the SIEM sees why it
 * stays locked, not only the screen.
 */
export async function recordStartProblem(
  options: Omit<WorkstationJournalOptions, 'settings'>,
  record: Pick<AuditEvent, 'type' | 'reason' | 'details'>,
): Promise<void> {
  const journal = await openWorkstationJournal(options);
  try {
    await journal.append({
      ...record,
      at: options.clock.wallTime().toISOString(),
      workstation: options.workstation,
      outcome: 'failure',
    });
  } finally {
    await journal.close();
  }
}
