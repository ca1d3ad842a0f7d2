import type { KeyObject } from 'node:crypto';
import { closeSync, fstatSync, openSync, read } from 'node:fs';
import { checkCheckpointLine } from './checkpoint.js';
import type { SegmentClaims } from './segment-claims.js';
import type { SegmentScan } from './segment-chain-scan.js';
import { scanSegment } from './segment-chain-scan.js';
import { segmentPath } from './segment-files.js';

export interface ScannedSegment {
  /** Position in the journal's segment list. */
  index: number;
  segment: string;
  bytes: number;
  scan: SegmentScan;
  /** Runs of consecutive checkpoints in this segment whose signature held, by key. */
  signed: SignedRun[];
}

/** Consecutive valid checkpoints under one key: `from`..`to` are the seqs of its first and last checkpoint. */
export interface SignedRun {
  keyId: string;
  from: number;
  to: number;
  checkpoints: number;
}

/** Adds a valid checkpoint to the runs: extends the last run when the same key signed it. */
export function addSigned(runs: SignedRun[], keyId: string, seq: number, checkpoints = 1): void {
  const last = runs.at(-1);
  if (last?.keyId === keyId) {
    last.to = seq;
    last.checkpoints += checkpoints;
  } else {
    runs.push({ keyId, from: seq, to: seq, checkpoints });
  }
}

/**
 * Scans the segments this thread claims, each on its own (without the head before it: verify-journal.ts
 * links them in order afterwards). The next claimed segment is read while the current one is hashed.
 * Runs on the main thread and in each verify worker (verify-worker.ts).
 */
export async function scanClaimedSegments(
  directory: string,
  segments: readonly string[],
  publicKeys: ReadonlyMap<string, KeyObject>,
  claims: SegmentClaims,
): Promise<ScannedSegment[]> {
  let signed: SignedRun[] = [];
  const checkCheckpoint = (line: string) => {
    const { keyId, seq, problem } = checkCheckpointLine(line, publicKeys);
    if (!problem && keyId !== undefined && seq !== undefined) addSigned(signed, keyId, seq);
    return problem;
  };
  // Two buffers, reused: one being hashed while the next segment is read into the other. Fresh 16 MiB
  // buffers per segment would cost a page fault per 4 KiB on first touch.
  const spare: Buffer[] = [];
  const claim = () => {
    const index = claims.next();
    return index < segments.length
      ? { index, bytes: readSegment(segmentPath(directory, segments[index]!), spare.pop()) }
      : undefined;
  };
  const scanned: ScannedSegment[] = [];
  for (let current = claim(); current;) {
    const { buf, storage } = await current.bytes;
    const following = claim();
    const segment = segments[current.index]!;
    signed = [];
    const scan = scanSegment(buf, segment, undefined, checkCheckpoint);
    scanned.push({ index: current.index, segment, bytes: buf.length, scan, signed });
    spare.push(storage);
    current = following;
  }
  return scanned;
}

/**
 * A whole segment in one read, into `storage` when it is big enough. Opening and sizing the file are
 * synchronous (metadata, microseconds) so that the read itself is a single thread-pool job issued at once:
 * an async open/stat chain would only advance between segment scans, which are synchronous, and the next
 * segment would then be read after the current one is hashed instead of while.
 */
async function readSegment(file: string, storage: Buffer | undefined): Promise<{ buf: Buffer; storage: Buffer }> {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const target = storage && storage.length >= size ? storage : Buffer.allocUnsafeSlow(size);
    let filled = 0;
    while (filled < size) {
      const bytesRead = await readAt(fd, target, filled, size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return { buf: target.subarray(0, filled), storage: target };
  } finally {
    closeSync(fd);
  }
}

function readAt(fd: number, target: Buffer, offset: number, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) =>
    read(fd, target, offset, length, position, (error, bytesRead) => (error ? reject(error) : resolve(bytesRead))),
  );
}
