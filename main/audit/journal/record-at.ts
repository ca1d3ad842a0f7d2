import { readFile } from 'node:fs/promises';
import { readFrame, sha256Hex } from './journal-record.js';
import { segmentFirstSeq, segmentPath } from './segment-files.js';

/**
 * Where record `seq` is and the chain hash after it (the SHA-256 of its line as stored), read from the one
 * segment that should hold it; undefined when no segment holds it. Used to check a journal against a
 * witnessed head (journal-head.ts, verify --expect-head), so it reads one segment, not the whole journal.
 */
export async function findRecord(
  directory: string,
  segments: readonly string[],
  seq: number,
): Promise<{ segment: string; offset: number; hash: string } | undefined> {
  const segment = segments.findLast((name) => (segmentFirstSeq(name) ?? Infinity) <= seq);
  if (!segment) return undefined;
  const buf = await readFile(segmentPath(directory, segment));
  for (
    let start = 0, newline = buf.indexOf(10);
    newline !== -1;
    start = newline + 1, newline = buf.indexOf(10, start)
  ) {
    const frame = readFrame(buf, start, newline);
    if (typeof frame === 'string') continue;
    if (frame.seq === seq) return { segment, offset: start, hash: sha256Hex(buf.subarray(start, newline)) };
    if (frame.seq > seq) break;
  }
  return undefined;
}
