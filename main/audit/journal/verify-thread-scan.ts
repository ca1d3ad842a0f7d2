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
  const checkCheckpoint = (line: string) => checkCheckpointLine(line, publicKeys);
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
    scanned.push({
      index: current.index,
      segment,
      bytes: buf.length,
      scan: scanSegment(buf, segment, undefined, checkCheckpoint),
    });
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
