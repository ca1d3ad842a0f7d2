import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { checkCheckpointLine } from './checkpoint.js';
import { GENESIS_HASH } from './journal-record.js';
import type { ChainHead, JournalProblem } from './segment-scan.js';
import { scanSegment } from './segment-scan.js';
import { listSegments, segmentFirstSeq, segmentPath } from './segment-files.js';

export interface VerifyReport {
  ok: boolean;
  segments: number;
  records: number;
  events: number;
  checkpoints: number;
  bytes: number;
  firstSeq?: number;
  lastSeq?: number;
  /** Records after the last checkpoint: chained, but not yet covered by a signature. */
  unsignedRecords: number;
  problems: JournalProblem[];
}

/**
 * Checks a whole journal offline: every record links to the one before (hash and sequence), across
 * segments; every checkpoint's signature holds under a trusted key; nothing is missing at the start and
 * nothing is cut off at the end. Reads each segment once, in order.
 */
export async function verifyJournal(directory: string, publicKeys: ReadonlyMap<string, KeyObject>): Promise<VerifyReport> {
  const report: VerifyReport = { ok: false, segments: 0, records: 0, events: 0, checkpoints: 0, bytes: 0, unsignedRecords: 0, problems: [] };
  const segments = await listSegments(directory);
  if (segments.length === 0) {
    report.problems.push({ segment: directory, offset: 0, problem: 'no journal segments (seg-*.jsonl) in this directory' });
    return report;
  }
  const checkCheckpoint = (line: string) => checkCheckpointLine(line, publicKeys);
  let head: ChainHead | undefined;
  for (const [index, segment] of segments.entries()) {
    const isLast = index === segments.length - 1;
    const nameSeq = segmentFirstSeq(segment)!;
    if (index === 0) {
      if (nameSeq === 1) head = { seq: 0, hash: GENESIS_HASH };
      else report.problems.push({ segment, offset: 0, problem: `the journal starts at record ${nameSeq}: the segments before it are missing` });
    }
    const buf = await readFile(segmentPath(directory, segment));
    const scan = scanSegment(buf, segment, head, checkCheckpoint);
    report.segments++;
    report.bytes += buf.length;
    report.records += scan.records;
    report.events += scan.events;
    report.checkpoints += scan.checkpoints;
    report.unsignedRecords = scan.checkpoints > 0 ? scan.recordsSinceCheckpoint : report.unsignedRecords + scan.records;
    if (scan.firstSeq !== undefined && scan.firstSeq !== nameSeq) {
      report.problems.push({ segment, offset: 0, problem: `the segment is named for record ${nameSeq} but starts with record ${scan.firstSeq}` });
    }
    if (scan.records === 0 && !isLast) report.problems.push({ segment, offset: 0, problem: 'an empty segment in the middle of the journal' });
    report.problems.push(...scan.problems);
    if (scan.completeBytes < buf.length) {
      report.problems.push({
        segment,
        offset: scan.completeBytes,
        problem: isLast
          ? `an incomplete final record (${buf.length - scan.completeBytes} bytes, a write cut off by a crash); CareShell cuts it off and records the cut when it next opens the journal`
          : `an incomplete record (${buf.length - scan.completeBytes} bytes) at the end of a segment that is not the last`,
      });
    }
    report.firstSeq ??= scan.firstSeq;
    head = scan.head ?? head;
  }
  report.lastSeq = head?.seq;
  report.ok = report.problems.length === 0;
  return report;
}
