import type { AuditEvent } from '../audit-event.js';
import type { HeadReading, WitnessedHead } from './journal-head.js';
import { HEAD_FILE } from './journal-head.js';
import { GENESIS_HASH } from './journal-record.js';
import type { RecoveredJournal } from './journal-recovery.js';
import { recoverJournal, startChain } from './journal-recovery.js';
import { findRecord } from './record-at.js';
import type { ChainHead } from './segment-chain-scan.js';
import { listSegments } from './segment-files.js';

/** What the journal records about its head when it opens: a reset, or a head record it could not use. */
export type HeadFinding = Pick<AuditEvent, 'type' | 'reason' | 'details'>;

/**
 * Opens the journal's segments for appending and compares what is there with the sealed head record
 * (journal-head.ts) and the signing key. A journal that ends before the witnessed head, holds a different
 * record there, or is gone while the key exists was cut, altered or replaced. When going on would reuse seq
 * numbers (the journal ends before the witnessed head, or is gone), appending goes on in a NEW chain, in a
 * new segment numbered past the witnessed head and pointing at its hash, so verify shows the gap; that is
 * recorded as an audit.journal_reset event. Anything else found is recorded as audit.journal_damaged.
 */
export async function openAgainstHead(
  directory: string,
  witnessed: HeadReading,
  keyCreated: boolean,
): Promise<{ recovered: RecoveredJournal; finding?: HeadFinding }> {
  const expected = witnessed.kind === 'head' ? witnessed.head : undefined;
  const segments = await listSegments(directory);
  if (segments.length === 0) {
    if (keyCreated && witnessed.kind === 'none') return { recovered: await recoverJournal(directory) };
    const start = expected ?? { seq: 0, hash: GENESIS_HASH };
    const what = expected
      ? `the sealed head record says record ${expected.seq} was written (at ${expected.at})`
      : 'there is no sealed head record either';
    return {
      recovered: await startChain(directory, start),
      finding: reset(
        `no journal segments were found although the signing key exists and ${what}: the journal was deleted`,
        expected,
        undefined,
        start,
      ),
    };
  }
  const recovered = await recoverJournal(directory);
  if (witnessed.kind === 'unreadable') return { recovered, finding: damaged(witnessed.reason) };
  if (!expected) {
    return keyCreated
      ? { recovered }
      : {
          recovered,
          finding: damaged(
            `the sealed head record ${HEAD_FILE} is missing although the signing key exists, so the end of the journal cannot be checked (expected once after upgrading from a version without it)`,
          ),
        };
  }
  const found = recovered.head;
  if (expected.seq > found.seq) {
    return {
      recovered: await continueAfter(directory, recovered, expected),
      finding: reset(
        `the journal ends at record ${found.seq}, but the sealed head record says record ${expected.seq} was written (at ${expected.at}): records ${found.seq + 1}..${expected.seq} were cut off or deleted`,
        expected,
        found,
        expected,
      ),
    };
  }
  const there =
    expected.seq === 0 ? GENESIS_HASH : ((await findRecord(directory, segments, expected.seq))?.hash ?? 'none');
  if (there === expected.hash) return { recovered };
  // Numbers are not reused here (the journal reaches past the witnessed head), so the chain goes on.
  return {
    recovered,
    finding: damaged(
      `record ${expected.seq} of the journal (hash ${there}) is not the one the sealed head record names (hash ${expected.hash}): the journal was altered, replaced or rewritten up to there`,
    ),
  };
}

/** A new chain after `start`, keeping what recovery found in the old last segment (a cut torn record, damage). */
async function continueAfter(
  directory: string,
  recovered: RecoveredJournal,
  start: ChainHead,
): Promise<RecoveredJournal> {
  const chain = await startChain(directory, start);
  return { ...chain, problems: recovered.problems, ...(recovered.torn ? { torn: recovered.torn } : {}) };
}

function reset(
  what: string,
  expected: WitnessedHead | undefined,
  found: ChainHead | undefined,
  start: ChainHead,
): HeadFinding {
  return {
    type: 'audit.journal_reset',
    reason: `${what}; a new chain starts at record ${start.seq + 1}, and its first record points at ${expected ? 'the witnessed head' : 'no earlier record'}`,
    details: {
      ...(expected ? { expectedSeq: expected.seq, expectedHash: expected.hash } : {}),
      ...(found ? { foundSeq: found.seq, foundHash: found.hash } : { foundSeq: 0 }),
      newChainSeq: start.seq + 1,
    },
  };
}

function damaged(reason: string): HeadFinding {
  return {
    type: 'audit.journal_damaged',
    reason: `${reason}; compare the journal with the collector's last audit.checkpoint`,
    details: {},
  };
}
