import { link, open, rename, rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import { syncDirectory } from './journal/segment-files.js';

let writes = 0;

/**
 * Writes a whole file so that a crash leaves the old file or the new one, never a torn one: a temporary file
 * in the same folder, fsynced, then renamed over the target and the folder fsynced. With `exclusive` the
 * temporary file is linked to the target instead, which fails with EEXIST when it already exists, so two
 * processes cannot both create it.
 */
export async function writeFileAtomically(
  file: string,
  data: string | Uint8Array,
  options: { mode: number; exclusive?: boolean },
): Promise<void> {
  // Unique per write, so concurrent writers never share a temporary file; a leftover from a crashed run
  // that had the same pid is removed first (under 'w' it would keep its old mode).
  const temporary = `${file}.${process.pid}-${++writes}.tmp`;
  await rm(temporary, { force: true });
  const handle = await open(temporary, 'wx', options.mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    if (options.exclusive) {
      await link(temporary, file);
      await unlink(temporary);
    } else {
      await rename(temporary, file);
    }
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(path.dirname(file));
}
