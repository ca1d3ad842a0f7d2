import { readFrame, sha256Hex } from './journal-record.js';

/** A place where the journal is not what the writer left: which file, which byte, what is wrong. */
export interface JournalProblem {
  segment: string;
  offset: number;
  seq?: number;
  problem: string;
}

/** The chain position after a record: its seq and the hash the next record must carry as `prev`. */
export interface ChainHead {
  seq: number;
  hash: string;
}

export interface SegmentScan {
  records: number;
  events: number;
  checkpoints: number;
  firstSeq?: number;
  /** seq and prev of the first line, when it is a record: what links this segment to the one before. */
  first?: { seq: number; prev: string; offset: number };
  /** After the last complete line (undefined when the segment holds none). */
  head?: ChainHead;
  /** Records after the last checkpoint in this segment (all of them when it has none). */
  recordsSinceCheckpoint: number;
  /** Offset just past the last "\n": anything after it is an unterminated (torn) record. */
  completeBytes: number;
  problems: JournalProblem[];
}

/**
 * Walks one segment's bytes line by line, hashing each line and checking that it links to the one before
 * (`expected` is the head the previous segment ended with; undefined when unknown). Each break is reported
 * once, then the scan re-anchors on the damaged record so later intact records still check.
 * `checkCheckpoint`, when given, is asked about each checkpoint line and returns a problem or undefined.
 */
export function scanSegment(
  buf: Buffer,
  segment: string,
  expected: ChainHead | undefined,
  checkCheckpoint?: (line: string) => string | undefined,
): SegmentScan {
  const scan: SegmentScan = { records: 0, events: 0, checkpoints: 0, recordsSinceCheckpoint: 0, completeBytes: 0, problems: [] };
  let head = expected;
  let previousOffset = -1;
  let offset = 0;
  for (let newline = buf.indexOf(10, offset); newline !== -1; offset = newline + 1, newline = buf.indexOf(10, offset)) {
    // A DataView is the cheapest view to hash through: verify spends most of its time on this line.
    const hash = sha256Hex(new DataView(buf.buffer, buf.byteOffset + offset, newline - offset));
    const frame = readFrame(buf, offset, newline);
    scan.records++;
    if (typeof frame === 'string') {
      scan.problems.push({ segment, offset, problem: `not a well-formed journal record: it ${frame}` });
      head = head ? { seq: head.seq + 1, hash } : undefined;
    } else {
      if (scan.records === 1) scan.first = { seq: frame.seq, prev: frame.prev, offset };
      scan.firstSeq ??= frame.seq;
      if (head && (frame.seq !== head.seq + 1 || frame.prev !== head.hash)) {
        scan.problems.push({ segment, offset, seq: frame.seq, problem: describeBreak(head, frame.seq, frame.prev === head.hash, previousOffset) });
      }
      head = { seq: frame.seq, hash };
      if (frame.kind === 'checkpoint') {
        scan.checkpoints++;
        scan.recordsSinceCheckpoint = 0;
        const problem = checkCheckpoint?.(buf.toString('utf8', offset, newline));
        if (problem) scan.problems.push({ segment, offset, seq: frame.seq, problem });
        previousOffset = offset;
        continue;
      }
      scan.events++;
    }
    scan.recordsSinceCheckpoint++;
    previousOffset = offset;
  }
  scan.completeBytes = offset;
  if (head) scan.head = head;
  return scan;
}

export function describeBreak(head: ChainHead, seq: number, prevMatches: boolean, previousOffset: number): string {
  const before = previousOffset >= 0 ? `the record at offset ${previousOffset}` : 'the last record of the previous segment';
  if (seq !== head.seq + 1 && prevMatches) return `sequence jumps from ${head.seq} to ${seq} although the hash links: the writer skipped numbers`;
  if (seq !== head.seq + 1) return `sequence jumps from ${head.seq} to ${seq} and the hash chain breaks: records were removed, reordered or inserted before this one`;
  return `hash chain broken: this record does not follow ${before}, which was altered (or records were replaced)`;
}
