import { open, readFile } from 'node:fs/promises';
import { GENESIS_HASH, readFrame, sha256Hex } from './journal-record.js';
import type { ChainHead, JournalProblem } from './segment-scan.js';
import { scanSegment } from './segment-scan.js';
import { listSegments, readLastLine, segmentFirstSeq, segmentName, segmentPath, syncDirectory } from './segment-files.js';

export interface TornRecord {
  segment: string;
  offset: number;
  bytes: number;
  sha256: string;
}

/** Where appending resumes, and what opening found on the way. */
export interface RecoveredJournal {
  segment: string;
  size: number;
  head: ChainHead;
  recordsSinceCheckpoint: number;
  torn?: TornRecord;
  problems: JournalProblem[];
}

/**
 * Prepares a journal directory for appending. Only the last segment is read (start-up cost stays bounded
 * by the segment size); whole-journal checks are `careshell-audit verify`. An unterminated last line is a
 * write cut off by a crash: it was never acknowledged, so it is cut off here and returned for the journal
 * to record. Any other damage in the segment is returned as problems and left in place as evidence.
 */
export async function recoverJournal(directory: string): Promise<RecoveredJournal> {
  const segments = await listSegments(directory);
  const last = segments.at(-1);
  if (last === undefined) {
    const segment = segmentName(1);
    await (await open(segmentPath(directory, segment), 'wx', 0o600)).close();
    await syncDirectory(directory);
    return { segment, size: 0, head: { seq: 0, hash: GENESIS_HASH }, recordsSinceCheckpoint: 0, problems: [] };
  }
  const previous = segments.at(-2);
  const expected = previous ? await headOf(directory, previous) : segmentFirstSeq(last) === 1 ? { seq: 0, hash: GENESIS_HASH } : undefined;
  const buf = await readFile(segmentPath(directory, last));
  const scan = scanSegment(buf, last, expected);
  const recovered: RecoveredJournal = {
    segment: last,
    size: scan.completeBytes,
    head: scan.head ?? expected ?? { seq: (segmentFirstSeq(last) ?? 1) - 1, hash: GENESIS_HASH },
    recordsSinceCheckpoint: scan.recordsSinceCheckpoint,
    problems: scan.problems,
  };
  if (scan.completeBytes < buf.length) {
    const cut = buf.subarray(scan.completeBytes);
    const handle = await open(segmentPath(directory, last), 'r+');
    try {
      await handle.truncate(scan.completeBytes);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    recovered.torn = { segment: last, offset: scan.completeBytes, bytes: cut.length, sha256: sha256Hex(cut) };
  }
  return recovered;
}

/** The chain head a segment ends with, from its last complete line. */
async function headOf(directory: string, segment: string): Promise<ChainHead | undefined> {
  const line = await readLastLine(segmentPath(directory, segment));
  if (!line) return undefined;
  const frame = readFrame(line, 0, line.length);
  return typeof frame === 'string' ? undefined : { seq: frame.seq, hash: sha256Hex(line) };
}
