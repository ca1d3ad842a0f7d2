import { open, readFile } from 'node:fs/promises';
import { GENESIS_HASH, readFrame, sha256Hex } from './journal-record.js';
import type { ChainHead, JournalProblem } from './segment-chain-scan.js';
import { scanSegment } from './segment-chain-scan.js';
import {
  listSegments,
  readLastLine,
  segmentFirstSeq,
  segmentName,
  segmentPath,
  syncDirectory,
} from './segment-files.js';

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
 * Prepares a journal directory for appending. Only the last segment is read, and the last record of the
 * one before it (start-up cost stays bounded by the segment size); whole-journal checks are
 * `careshell-audit verify`. An unterminated last line is a write cut off by a crash: it was never
 * acknowledged, so it is cut off here and returned for the journal to record. Any other damage found is
 * returned as problems and left in place as evidence.
 */
export async function recoverJournal(directory: string): Promise<RecoveredJournal> {
  const segments = await listSegments(directory);
  const last = segments.at(-1);
  if (last === undefined) return startChain(directory, { seq: 0, hash: GENESIS_HASH });
  const firstSeq = segmentFirstSeq(last)!;
  const problems: JournalProblem[] = [];
  const previous = segments.at(-2);
  const expected = previous
    ? await endOf(directory, previous, last, problems)
    : firstSeq === 1
      ? { seq: 0, hash: GENESIS_HASH }
      : undefined;
  const buf = await readFile(segmentPath(directory, last));
  const scan = scanSegment(buf, last, expected);
  problems.push(...scan.problems);
  const recovered: RecoveredJournal = {
    segment: last,
    size: scan.completeBytes,
    head: scan.head ?? expected ?? { seq: firstSeq - 1, hash: GENESIS_HASH },
    recordsSinceCheckpoint: scan.recordsSinceCheckpoint,
    problems,
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

/**
 * A new, empty segment whose first record will follow `head`: a new journal (the genesis head), or a new
 * chain after a reset that starts past the witnessed head (head-check.ts), so no seq is used twice.
 */
export async function startChain(directory: string, head: ChainHead): Promise<RecoveredJournal> {
  const segment = segmentName(head.seq + 1);
  await (await open(segmentPath(directory, segment), 'wx', 0o600)).close();
  await syncDirectory(directory);
  return { segment, size: 0, head, recordsSinceCheckpoint: 0, problems: [] };
}

/**
 * The chain head the segment before the last ends with: the hash of its last line as stored, so the chain
 * continues from the bytes really there even when that line is damaged (the damage goes into `problems`,
 * with its offset). Undefined, also reported, when that segment holds no complete line.
 */
async function endOf(
  directory: string,
  segment: string,
  next: string,
  problems: JournalProblem[],
): Promise<ChainHead | undefined> {
  const nextSeq = segmentFirstSeq(next)!;
  const { line, offset, size } = await readLastLine(segmentPath(directory, segment));
  const end = line ? offset + line.length + 1 : 0;
  if (end < size)
    problems.push({
      segment,
      offset: end,
      problem: `an incomplete record (${size - end} bytes) at the end of a segment that is not the last`,
    });
  if (!line) {
    problems.push({
      segment,
      offset: 0,
      problem: 'the segment before the last holds no complete record, so the chain cannot be linked across it',
    });
    return undefined;
  }
  const hash = sha256Hex(line);
  const frame = readFrame(line, 0, line.length);
  if (typeof frame === 'string') {
    problems.push({ segment, offset, problem: `not a well-formed journal record: it ${frame}` });
    return { seq: nextSeq - 1, hash };
  }
  if (frame.seq !== nextSeq - 1) {
    problems.push({
      segment,
      offset,
      seq: frame.seq,
      problem: `the segment ends with record ${frame.seq} but the next one, ${next}, is named for record ${nextSeq}: records are missing or the segment was renamed`,
    });
  }
  return { seq: frame.seq, hash };
}
