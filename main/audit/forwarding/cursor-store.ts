import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { JournalPosition } from '../journal/audit-journal.js';
import { writeFileAtomically } from '../atomic-file.js';

const cursorSchema = z
  .object({
    destination: z.string(),
    segment: z.string().regex(/^seg-\d{16}\.jsonl$/),
    offset: z.number().int().nonnegative(),
    seq: z.number().int().nonnegative(),
  })
  .strict();

/**
 * Each destination's delivery cursor, one small JSON file per destination next to the journal. Saved by
 * write-to-temp, fsync, rename, so a crash leaves either the old or the new cursor, never a torn one.
 */
export class CursorStore {
  constructor(private readonly directory: string) {}

  /** The saved position, undefined when none was saved; a damaged file is an error naming it. */
  async load(destination: string): Promise<JournalPosition | undefined> {
    let text: string;
    try {
      text = await readFile(this.file(destination), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    const parsed = cursorSchema.safeParse(value);
    if (!parsed.success || parsed.data.destination !== destination) {
      throw new Error(
        `The delivery cursor ${this.file(destination)} is damaged. Delete it to send this destination's events again ` +
          'from the start of the journal (the collector receives duplicates, with the same event ids).',
      );
    }
    const { segment, offset, seq } = parsed.data;
    return { segment, offset, seq };
  }

  async save(destination: string, position: JournalPosition): Promise<void> {
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    await writeFileAtomically(this.file(destination), JSON.stringify({ destination, ...position }), { mode: 0o600 });
  }

  private file(destination: string): string {
    return path.join(this.directory, `${destination}.json`);
  }
}
