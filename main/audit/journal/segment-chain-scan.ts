/**
 * One segment's bytes checked against the hash chain, line by line. Recovery runs it over the last segment at
 * start (journal-recovery.ts); verify runs it over every segment (verify-thread-scan.ts) and links the results.
 */
import type { FrameSlots } from './journal-record.js';
import { parseFrame, sha256Hex } from './journal-record.js';

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
  /** Where those records start (when there are any): the first record no checkpoint in this segment signs. */
  unsignedFrom?: { offset: number; seq?: number };
  /** The last complete record (when there is one); seq is unknown when no record before it could be read. */
  last?: { offset: number; seq?: number };
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
  const scan: SegmentScan = {
    records: 0,
    events: 0,
    checkpoints: 0,
    recordsSinceCheckpoint: 0,
    completeBytes: 0,
    problems: [],
  };
  // The head as two locals rather than an object: this loop runs once per record over millions of records.
  let known = expected !== undefined;
  let headSeq = expected?.seq ?? 0;
  let headHash = expected?.hash ?? '';
  const frame: FrameSlots = { kind: 'event', seq: 0, prevStart: 0 };
  const { buffer, byteOffset } = buf;
  let previousOffset = -1;
  let offset = 0;
  for (let newline = buf.indexOf(10, offset); newline !== -1; offset = newline + 1, newline = buf.indexOf(10, offset)) {
    // The stored line is hashed as it is (a view, no copy): the chain covers exactly the bytes on disk.
    const hash = sha256Hex(new Uint8Array(buffer, byteOffset + offset, newline - offset));
    const malformed = parseFrame(buf, offset, newline, frame);
    scan.records++;
    if (scan.recordsSinceCheckpoint === 0)
      scan.unsignedFrom = malformed === undefined ? { offset, seq: frame.seq } : { offset };
    if (malformed !== undefined) {
      scan.problems.push({ segment, offset, problem: `not a well-formed journal record: it ${malformed}` });
      headSeq++;
      headHash = hash;
    } else {
      const { seq, prevStart } = frame;
      // One short string and a string compare: cheaper per record than comparing the bytes in place.
      const prev = buf.toString('latin1', prevStart, prevStart + 64);
      if (scan.records === 1) scan.first = { seq, prev, offset };
      scan.firstSeq ??= seq;
      if (known) {
        const follows = seq === headSeq + 1;
        const links = prev === headHash;
        if (!follows || !links)
          scan.problems.push({
            segment,
            offset,
            seq,
            problem: describeBreak({ seq: headSeq, hash: headHash }, seq, links, previousOffset),
          });
      }
      known = true;
      headSeq = seq;
      headHash = hash;
      if (frame.kind === 'checkpoint') {
        scan.checkpoints++;
        scan.recordsSinceCheckpoint = 0;
        scan.unsignedFrom = undefined;
        const problem = checkCheckpoint?.(buf.toString('utf8', offset, newline));
        if (problem) scan.problems.push({ segment, offset, seq, problem });
        previousOffset = offset;
        continue;
      }
      scan.events++;
    }
    scan.recordsSinceCheckpoint++;
    previousOffset = offset;
  }
  scan.completeBytes = offset;
  if (known) scan.head = { seq: headSeq, hash: headHash };
  if (previousOffset >= 0) scan.last = known ? { offset: previousOffset, seq: headSeq } : { offset: previousOffset };
  return scan;
}

export function describeBreak(head: ChainHead, seq: number, prevMatches: boolean, previousOffset: number): string {
  const before =
    previousOffset >= 0 ? `the record at offset ${previousOffset}` : 'the last record of the previous segment';
  if (seq !== head.seq + 1 && prevMatches)
    return `sequence jumps from ${head.seq} to ${seq} although the hash links: the writer skipped numbers`;
  if (seq !== head.seq + 1)
    return `sequence jumps from ${head.seq} to ${seq} and the hash chain breaks: records were removed, reordered or inserted before this one`;
  return `hash chain broken: this record does not follow ${before}, which was altered (or records were replaced)`;
}
