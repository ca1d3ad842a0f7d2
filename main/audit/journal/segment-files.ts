import { open, readdir } from 'node:fs/promises';
import path from 'node:path';

/** Segments are named by the seq of their first record, zero-padded so name order is journal order. */
const SEGMENT_NAME = /^seg-(\d{16})\.jsonl$/;

export function segmentName(firstSeq: number): string {
  return `seg-${String(firstSeq).padStart(16, '0')}.jsonl`;
}

export function segmentFirstSeq(name: string): number | undefined {
  const match = SEGMENT_NAME.exec(name);
  return match ? Number(match[1]) : undefined;
}

export async function listSegments(directory: string): Promise<string[]> {
  const names = await readdir(directory);
  return names.filter((name) => SEGMENT_NAME.test(name)).sort();
}

/** Makes a created or renamed file's directory entry durable (POSIX); Windows has no directory fsync. */
export async function syncDirectory(directory: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * The last complete line of a file (without its "\n") and the offset it starts at, with the file's size:
 * bytes past that line's "\n" are an unterminated record. `line` is undefined when there is no complete line.
 */
export async function readLastLine(file: string): Promise<{ line?: Buffer; offset: number; size: number }> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    for (let window = 64 * 1024; ; window *= 4) {
      const start = Math.max(0, size - window);
      const buf = Buffer.alloc(size - start);
      await handle.read(buf, 0, buf.length, start);
      const end = buf.lastIndexOf(10);
      if (end === -1) {
        if (start === 0) return { offset: 0, size };
        continue;
      }
      const begin = end === 0 ? 0 : buf.lastIndexOf(10, end - 1) + 1;
      if (begin > 0 || start === 0) return { line: buf.subarray(begin, end), offset: start + begin, size };
    }
  } finally {
    await handle.close();
  }
}

export function segmentPath(directory: string, name: string): string {
  return path.join(directory, name);
}
