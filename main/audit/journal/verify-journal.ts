import type { KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DEFAULT_JOURNAL_SETTINGS } from './audit-journal.js';
import { GENESIS_HASH } from './journal-record.js';
import { findRecord } from './record-at.js';
import type { ScannedSegment, SignedRun } from './verify-thread-scan.js';
import { addSigned, scanClaimedSegments } from './verify-thread-scan.js';
import type { ChainHead, JournalProblem } from './segment-chain-scan.js';
import { describeBreak } from './segment-chain-scan.js';
import { SegmentClaims } from './segment-claims.js';
import { listSegments, segmentFirstSeq } from './segment-files.js';

export interface VerifyReport {
  ok: boolean;
  segments: number;
  records: number;
  events: number;
  checkpoints: number;
  bytes: number;
  firstSeq?: number;
  lastSeq?: number;
  /** The chain hash after the last record (SHA-256 of its line): with lastSeq, the head a witness compares. */
  lastHash?: string;
  /** Records after the last checkpoint: chained, but not yet covered by a signature. */
  unsignedRecords: number;
  /** Which trusted key signed which records: each entry's checkpoints vouch for records fromSeq..toSeq. */
  signedBy: { keyId: string; fromSeq: number; toSeq: number; checkpoints: number }[];
  problems: JournalProblem[];
}

export interface VerifyOptions {
  /** Threads hashing segments in parallel: this one plus `threads - 1` workers; 1 = this thread only. */
  threads?: number;
  /**
   * The most records the journal may hold after its last checkpoint. The writer signs at the latest with
   * the `checkpointEvery`-th record (the timer only signs sooner), so it never leaves more than
   * `checkpointEvery - 1`; a longer unsigned tail means checkpoints were removed (and the chain rewritten).
   */
  maxUnsigned?: number;
  /**
   * The head a witness holds (the collector's last checkpoint, the sealed head record): the journal must
   * contain that record with that hash, so one cut back to an earlier point, intact as it is, fails.
   */
  expectHead?: ChainHead;
}

/** What the writer guarantees with the default policy (journal.checkpointEvery 1000). */
export const DEFAULT_MAX_UNSIGNED = DEFAULT_JOURNAL_SETTINGS.checkpointEvery - 1;

/**
 * Checks a whole journal offline: every record links to the one before (hash and sequence), across
 * segments; every checkpoint's signature holds under a trusted key; every segment but the last ends with
 * a checkpoint and no more than `maxUnsigned` records follow the last one (so a journal whose checkpoints
 * were stripped and whose chain was recomputed fails); nothing is missing at the start and no record is
 * cut in half at the end. Whole records cut off cleanly at the end leave no trace in the files: only a
 * witnessed head (`expectHead`, docs/audit.md#the-witnessed-head) shows them. Threads take segments one at a
 * time and scan each on its own; the links between segments are checked here, in order, so the result is the
 * same for any number of threads.
 */
export async function verifyJournal(
  directory: string,
  publicKeys: ReadonlyMap<string, KeyObject>,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const report: VerifyReport = {
    ok: false,
    segments: 0,
    records: 0,
    events: 0,
    checkpoints: 0,
    bytes: 0,
    unsignedRecords: 0,
    signedBy: [],
    problems: [],
  };
  const segments = await listSegments(directory);
  if (segments.length === 0) {
    report.problems.push({
      segment: directory,
      offset: 0,
      problem: 'no journal segments (seg-*.jsonl) in this directory',
    });
    return report;
  }
  const scanned = await scanInParallel(
    directory,
    segments,
    publicKeys,
    Math.max(1, Math.min(options.threads ?? 1, segments.length)),
  );

  const firstNameSeq = segmentFirstSeq(segments[0]!)!;
  let head: ChainHead | undefined = firstNameSeq === 1 ? { seq: 0, hash: GENESIS_HASH } : undefined;
  /** The first record no checkpoint signs, when the journal ends with such records. */
  let unsignedFrom: Omit<JournalProblem, 'problem'> | undefined;
  if (!head)
    report.problems.push({
      segment: segments[0]!,
      offset: 0,
      problem: `the journal starts at record ${firstNameSeq}: the segments before it are missing`,
    });
  const signed: SignedRun[] = [];
  for (const [index, { segment, bytes, scan, signed: runs }] of scanned.entries()) {
    for (const run of runs) addSigned(signed, run.keyId, run.to, run.checkpoints);
    const isLast = index === scanned.length - 1;
    // Each segment was scanned without knowing the head before it: link it here.
    if (head && scan.first && (scan.first.seq !== head.seq + 1 || scan.first.prev !== head.hash)) {
      report.problems.push({
        segment,
        offset: scan.first.offset,
        seq: scan.first.seq,
        problem: describeBreak(head, scan.first.seq, scan.first.prev === head.hash, -1),
      });
    }
    const nameSeq = segmentFirstSeq(segment)!;
    report.segments++;
    report.bytes += bytes;
    report.records += scan.records;
    report.events += scan.events;
    report.checkpoints += scan.checkpoints;
    report.unsignedRecords = scan.checkpoints > 0 ? scan.recordsSinceCheckpoint : report.unsignedRecords + scan.records;
    const unsignedHere = scan.unsignedFrom && { segment, ...scan.unsignedFrom };
    if (scan.checkpoints > 0) unsignedFrom = unsignedHere;
    else unsignedFrom ??= unsignedHere;
    if (scan.firstSeq !== undefined && scan.firstSeq !== nameSeq) {
      report.problems.push({
        segment,
        offset: 0,
        problem: `the segment is named for record ${nameSeq} but starts with record ${scan.firstSeq}`,
      });
    }
    if (scan.records === 0 && !isLast)
      report.problems.push({ segment, offset: 0, problem: 'an empty segment in the middle of the journal' });
    if (scan.last && scan.recordsSinceCheckpoint > 0 && !isLast) {
      report.problems.push({
        segment,
        ...scan.last,
        problem: `the segment ends with ${scan.recordsSinceCheckpoint} record(s) no checkpoint signs, but CareShell closes every full segment with a signed checkpoint: checkpoints were removed or records added here`,
      });
    }
    report.problems.push(...scan.problems);
    if (scan.completeBytes < bytes) {
      report.problems.push({
        segment,
        offset: scan.completeBytes,
        problem: isLast
          ? `an incomplete final record (${bytes - scan.completeBytes} bytes, a write cut off by a crash); CareShell cuts it off and records the cut when it next opens the journal`
          : `an incomplete record (${bytes - scan.completeBytes} bytes) at the end of a segment that is not the last`,
      });
    }
    report.firstSeq ??= scan.firstSeq;
    head = scan.head ?? head;
  }
  report.lastSeq = head?.seq;
  report.lastHash = head?.hash;
  let covered = (report.firstSeq ?? 1) - 1;
  for (const run of signed) {
    report.signedBy.push({ keyId: run.keyId, fromSeq: covered + 1, toSeq: run.to, checkpoints: run.checkpoints });
    covered = run.to;
  }
  if (options.expectHead) {
    const endOffset = scanned.at(-1)!.bytes;
    const problem = await checkExpectedHead(directory, segments, report, options.expectHead, endOffset);
    if (problem) report.problems.push(problem);
  }
  const maxUnsigned = options.maxUnsigned ?? DEFAULT_MAX_UNSIGNED;
  if (unsignedFrom && report.unsignedRecords > maxUnsigned) {
    report.problems.push({
      ...unsignedFrom,
      problem:
        `the last ${report.unsignedRecords} records, from this one on, are not covered by any checkpoint signature, but CareShell signs at least ` +
        `every ${maxUnsigned + 1} records: checkpoints were removed and the chain rewritten, or records added without the signing key ` +
        '(if the policy sets a larger journal.checkpointEvery, pass --max-unsigned <checkpointEvery - 1>)',
    });
  }
  report.ok = report.problems.length === 0;
  return report;
}

/** A problem when the journal does not hold the witnessed head record, with what was expected and found. */
async function checkExpectedHead(
  directory: string,
  segments: string[],
  report: VerifyReport,
  expected: ChainHead,
  endOffset: number,
): Promise<JournalProblem | undefined> {
  const witnessed = `the witnessed head is record ${expected.seq} with hash ${expected.hash}`;
  const end = { segment: segments.at(-1)!, offset: endOffset };
  if (report.lastSeq === undefined || report.lastSeq < expected.seq) {
    return {
      ...end,
      problem: `the journal ends at record ${report.lastSeq ?? 0}, but ${witnessed}: records ${(report.lastSeq ?? 0) + 1}..${expected.seq} were cut off the end (or the journal was replaced)`,
    };
  }
  const found = await findRecord(directory, segments, expected.seq);
  if (!found)
    return {
      ...end,
      problem: `record ${expected.seq} is not in the journal, but ${witnessed}: records were removed (look for an audit.journal_reset event)`,
    };
  if (found.hash !== expected.hash)
    return {
      segment: found.segment,
      offset: found.offset,
      seq: expected.seq,
      problem: `record ${expected.seq} has hash ${found.hash}, but ${witnessed}: the journal was rewritten or replaced up to this record`,
    };
  return undefined;
}

/** Every segment scanned, in journal order: this thread works while the workers start, then alongside them. */
async function scanInParallel(
  directory: string,
  segments: string[],
  publicKeys: ReadonlyMap<string, KeyObject>,
  threads: number,
): Promise<ScannedSegment[]> {
  const claims = SegmentClaims.create(threads - 1);
  const workers = Array.from({ length: threads - 1 }, (_, worker) =>
    startWorker({ directory, segments, keys: [...publicKeys], shared: claims.shared, worker }),
  );
  try {
    const mine = await scanClaimedSegments(directory, segments, publicKeys, claims);
    const theirs = await Promise.all(
      workers.map(({ worker, result }, index) => (claims.callOff(index) ? worker.terminate().then(() => []) : result)),
    );
    return [...mine, ...theirs.flat()].sort((a, b) => a.index - b.index);
  } finally {
    for (const { worker } of workers) void worker.terminate();
  }
}

function startWorker(workerData: object): { worker: Worker; result: Promise<ScannedSegment[]> } {
  const fromSources = import.meta.url.endsWith('.ts');
  const url = new URL(`./verify-worker${fromSources ? '.ts' : '.js'}`, import.meta.url);
  // Running from TypeScript sources (tests, tsx): Node 20 does not pass loader hooks on to workers, so the
  // worker registers tsx itself. Its CommonJS hook transforms in the worker's own thread; the ESM one starts
  // a hooks thread per worker and took about twice as long (~0.3 s, several segments' hashing) to get going.
  const worker = fromSources
    ? new Worker(
        `require(${JSON.stringify(tsxCjsApi())}).register(); require(${JSON.stringify(fileURLToPath(url))});`,
        { eval: true, workerData },
      )
    : new Worker(url, { workerData });
  const result = new Promise<ScannedSegment[]>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`verify worker exited with code ${code}`)));
  });
  // A called-off worker's result is never awaited; its rejection (terminated) must not go unhandled.
  result.catch(() => undefined);
  return { worker, result };
}

/** tsx's CommonJS API, found from this file (not the working directory), for workers started from sources. */
function tsxCjsApi(): string {
  return createRequire(import.meta.url).resolve('tsx/cjs/api');
}
