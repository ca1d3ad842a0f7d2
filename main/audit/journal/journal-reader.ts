import { open, stat } from 'node:fs/promises';
import type { AuditEvent } from '../audit-event.js';
import type { JournalPosition } from './audit-journal.js';
import { readFrame } from './journal-record.js';
import { listSegments, segmentFirstSeq, segmentPath } from './segment-files.js';
import { storedEventSchema } from './stored-record-schema.js';

/** An event read back from the journal, with the position just after its record. */
export interface StoredAuditEvent {
  id: string;
  seq: number;
  event: AuditEvent;
  segment: string;
  offset: number;
  next: JournalPosition;
}

export class JournalReadError extends Error {
  constructor(
    readonly segment: string,
    readonly offset: number,
    detail: string,
  ) {
    super(`${segment} at byte ${offset}: ${detail}. Run "careshell-audit verify" on the journal for the full picture.`);
  }
}

const CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Reads up to `maxEvents` events after `from` (the journal's start when undefined), never past `until`
 * (the durable head, so a reader never sees a commit in progress). Checkpoints are stepped over.
 * Without `until` (another process, such as careshell-audit, reading a live journal), a line still being
 * written at the end of the last segment is not read yet: reading stops before it and `next` points at
 * it, so the caller looks again later. Returns the events and the position to continue from.
 */
export async function readEvents(
  directory: string,
  from: JournalPosition | undefined,
  options: { maxEvents: number; until?: JournalPosition },
): Promise<{ events: StoredAuditEvent[]; next: JournalPosition }> {
  const segments = await listSegments(directory);
  const first = segments[0];
  const start = from ?? (first ? { segment: first, offset: 0, seq: (segmentFirstSeq(first) ?? 1) - 1 } : undefined);
  const events: StoredAuditEvent[] = [];
  if (!start) return { events, next: { segment: '', offset: 0, seq: 0 } };
  let position: JournalPosition = start;
  while (events.length < options.maxEvents) {
    const segment: string = position.segment;
    const limit = options.until && options.until.segment === segment ? options.until.offset : (await stat(segmentPath(directory, segment))).size;
    if (position.offset < limit) {
      const end = Math.min(limit, position.offset + CHUNK_BYTES);
      const after = await readChunk(directory, position, end, events, options.maxEvents);
      if (after.offset === position.offset) {
        if (!options.until && end === limit && segment === segments.at(-1)) break;
        throw new JournalReadError(segment, position.offset, 'an incomplete record (no line end)');
      }
      position = after;
      continue;
    }
    const following = segments.find((name) => name > segment);
    if (!following || (options.until && following > options.until.segment)) break;
    position = { segment: following, offset: 0, seq: position.seq };
  }
  return { events, next: position };
}

/** Reads the complete lines in [from, end); returns the position after the last one (`from` when there is none). */
async function readChunk(
  directory: string,
  from: JournalPosition,
  end: number,
  events: StoredAuditEvent[],
  maxEvents: number,
): Promise<JournalPosition> {
  const buf = Buffer.alloc(end - from.offset);
  const handle = await open(segmentPath(directory, from.segment), 'r');
  try {
    await handle.read(buf, 0, buf.length, from.offset);
  } finally {
    await handle.close();
  }
  let position = from;
  let start = 0;
  for (let newline = buf.indexOf(10); newline !== -1 && events.length < maxEvents; start = newline + 1, newline = buf.indexOf(10, start)) {
    const offset = from.offset + start;
    const frame = readFrame(buf, start, newline);
    if (typeof frame === 'string') throw new JournalReadError(from.segment, offset, `not a journal record (it ${frame})`);
    const next = { segment: from.segment, offset: from.offset + newline + 1, seq: frame.seq };
    if (frame.kind === 'event') {
      let value: unknown;
      try {
        value = JSON.parse(buf.toString('utf8', start, newline));
      } catch {
        throw new JournalReadError(from.segment, offset, 'an event record that is not valid JSON');
      }
      const parsed = storedEventSchema.safeParse(value);
      if (!parsed.success) throw new JournalReadError(from.segment, offset, `event record does not match the schema (${parsed.error.issues[0]?.message})`);
      const { id, seq, event } = parsed.data;
      events.push({ id, seq, event, segment: from.segment, offset, next });
    }
    position = next;
  }
  return position;
}
