import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ManualClock } from '../../../../common/manual-clock.js';
import { systemRandom } from '../../../../common/random.js';
import type { KeyProtector } from '../../../../main/app/installation-secrets.js';
import type { AuditEvent, AuditEventType } from '../../../../main/audit/audit-event.js';
import type { AuditJournalOptions } from '../../../../main/audit/journal/audit-journal.js';
import { AuditJournal } from '../../../../main/audit/journal/audit-journal.js';
import { FileAuditKeyStore } from '../../../../main/audit/keys/file-audit-key-store.js';

/**
 * Stands in for Electron safeStorage: seals with AES-256-GCM under a key of its own, so a test can tell
 * sealed bytes from plain ones, and another protector cannot open them.
 */
export function testProtector(name = 'the test protector'): KeyProtector {
  const key = randomBytes(32);
  return {
    name,
    protect(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), sealed]);
    },
    unprotect(sealed) {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
    },
  };
}

/** A journal in a fresh temporary directory, with its key store (sealed by `protector`) and a manual clock. */
export async function journalFixture(
  settings: Partial<AuditJournalOptions> = {},
  protector: KeyProtector = testProtector(),
) {
  const root = await mkdtemp(path.join(tmpdir(), 'careshell-audit-'));
  const directory = path.join(root, 'journal');
  const keyStore = new FileAuditKeyStore({ directory: path.join(root, 'keys'), protector });
  const clock = new ManualClock();
  // Each open is a start of its own, with a key store that has not seen the key yet (as after a restart).
  const open = () =>
    AuditJournal.open({
      directory,
      keyStore: new FileAuditKeyStore({ directory: path.join(root, 'keys'), protector }),
      clock,
      random: systemRandom,
      workstation: 'COW-3F-12',
      ...settings,
    });
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

export function sampleEvent(
  type: AuditEventType = 'session.sign_in',
  n = 0,
  overrides: Partial<AuditEvent> = {},
): AuditEvent {
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

/** verify's trust arguments for a fixture's key: its key folder, and the fingerprint of the key it signs with. */
export async function trustArgs(fixture: { keysDirectory: string; keyStore: FileAuditKeyStore }): Promise<string[]> {
  return ['--keys', fixture.keysDirectory, '--fingerprint', (await fixture.keyStore.signingKey()).fingerprint];
}
