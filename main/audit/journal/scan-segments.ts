import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { checkCheckpointLine } from './checkpoint.js';
import type { SegmentScan } from './segment-scan.js';
import { scanSegment } from './segment-scan.js';
import { segmentPath } from './segment-files.js';

export interface ScannedSegment {
  segment: string;
  bytes: number;
  scan: SegmentScan;
}

/**
 * Scans consecutive segments, chaining each to the one before; the first is scanned without an anchor
 * (the caller links it). Runs on the main thread or in a verify worker (verify-worker.ts).
 */
export async function scanSegments(directory: string, segments: readonly string[], publicKeys: ReadonlyMap<string, KeyObject>): Promise<ScannedSegment[]> {
  const checkCheckpoint = (line: string) => checkCheckpointLine(line, publicKeys);
  const scanned: ScannedSegment[] = [];
  let head: SegmentScan['head'];
  for (const segment of segments) {
    const buf = await readFile(segmentPath(directory, segment));
    const scan = scanSegment(buf, segment, head, checkCheckpoint);
    scanned.push({ segment, bytes: buf.length, scan });
    head = scan.head ?? head;
  }
  return scanned;
}
