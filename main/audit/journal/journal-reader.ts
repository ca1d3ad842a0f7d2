import { open, stat } from 'node:fs/promises';
import type { z } from 'zod';
import type { AuditEvent } from '../audit-event.js';
import type { JournalPosition } from './audit-journal.js';
import { checkpointEvent } from './checkpoint-event.js';
import { readFrame, sha256Hex } from './journal-record.js';
import { listSegments, segmentFirstSeq, segmentPath } from './segment-files.js';
import { storedCheckpointSchema, storedEventSchema } from './stored-record-schema.js';

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
    /** What is wrong, in a few words. */
    readonly detail: string,
    /** The record's seq, when its frame could be read. */
    readonly seq?: number,
  ) {
    super(
      `${segment} at byte ${offset}${seq === undefined ? '' : ` (record ${seq})`}: ${detail}. Run "careshell-audit verify" on the journal for the full picture.`,
    );
  }
}

export interface ReadOptions {
  maxEvents: number;
  until?: JournalPosition;
  /** When given, a record that cannot be read is reported here and skipped; otherwise reading fails at it. */
  onUnreadable?: (problem: JournalReadError) => void;
  /**
   * Also return each checkpoint, as an `audit.checkpoint` event (checkpoint-event.ts): forwarders send them
   * so collectors witness the journal's head. Otherwise checkpoints are stepped over.
   */
  checkpoints?: boolean;
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
  options: ReadOptions,
): Promise<{ events: StoredAuditEvent[]; next: JournalPosition }> {
  const segments = await listSegments(directory);
  const first = segments[0];
  const start = from ?? (first ? { segment: first, offset: 0, seq: (segmentFirstSeq(first) ?? 1) - 1 } : undefined);
  const events: StoredAuditEvent[] = [];
  if (!start) return { events, next: { segment: '', offset: 0, seq: 0 } };
  let position: JournalPosition = start;
  while (events.length < options.maxEvents) {
    const segment: string = position.segment;
    const limit =
      options.until && options.until.segment === segment
        ? options.until.offset
        : (await stat(segmentPath(directory, segment))).size;
    if (position.offset < limit) {
      const end = Math.min(limit, position.offset + CHUNK_BYTES);
      const after = await readChunk(directory, position, end, events, options);
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
  options: ReadOptions,
): Promise<JournalPosition> {
  const buf = Buffer.alloc(end - from.offset);
  const handle = await open(segmentPath(directory, from.segment), 'r');
  try {
    await handle.read(buf, 0, buf.length, from.offset);
  } finally {
    await handle.close();
  }
  const { segment } = from;
  let position = from;
  let start = 0;
  for (
    let newline = buf.indexOf(10);
    newline !== -1 && events.length < options.maxEvents;
    start = newline + 1, newline = buf.indexOf(10, start)
  ) {
    const offset = from.offset + start;
    const frame = readFrame(buf, start, newline);
    const next = {
      segment,
      offset: from.offset + newline + 1,
      seq: typeof frame === 'string' ? position.seq + 1 : frame.seq,
    };
    try {
      if (typeof frame === 'string') throw new JournalReadError(segment, offset, `not a journal record (it ${frame})`);
      if (frame.kind === 'event')
        events.push({ ...parseEvent(buf, start, newline, segment, offset, frame.seq), segment, offset, next });
      else if (options.checkpoints) {
        const stored = parseCheckpoint(buf, start, newline, segment, offset, frame.seq);
        if (stored) events.push({ ...stored, segment, offset, next });
      }
    } catch (error) {
      if (!(error instanceof JournalReadError) || !options.onUnreadable) throw error;
      options.onUnreadable(error);
    }
    position = next;
  }
  return position;
}

function parseEvent(
  buf: Buffer,
  start: number,
  end: number,
  segment: string,
  offset: number,
  seq: number,
): Pick<StoredAuditEvent, 'id' | 'seq' | 'event'> {
  const value = parseJson(buf, start, end, segment, offset, seq, 'an event');
  const parsed = storedEventSchema.safeParse(value);
  if (!parsed.success)
    throw new JournalReadError(
      segment,
      offset,
      `the event does not match the schema: ${describeIssue(parsed.error.issues[0]!, value)}`,
      seq,
    );
  const { id, event } = parsed.data;
  return { id, seq: parsed.data.seq, event };
}

function parseCheckpoint(
  buf: Buffer,
  start: number,
  end: number,
  segment: string,
  offset: number,
  seq: number,
): Pick<StoredAuditEvent, 'id' | 'seq' | 'event'> | undefined {
  const parsed = storedCheckpointSchema.safeParse(parseJson(buf, start, end, segment, offset, seq, 'a checkpoint'));
  if (!parsed.success) throw new JournalReadError(segment, offset, 'a checkpoint record without at, keyId or sig', seq);
  const event = checkpointEvent(parsed.data, sha256Hex(buf.subarray(start, end)));
  return event && { id: parsed.data.id, seq: parsed.data.seq, event };
}

function parseJson(
  buf: Buffer,
  start: number,
  end: number,
  segment: string,
  offset: number,
  seq: number,
  what: string,
): unknown {
  try {
    return JSON.parse(buf.toString('utf8', start, end));
  } catch {
    throw new JournalReadError(segment, offset, `${what} record that is not valid JSON`, seq);
  }
}

/** One schema issue in a few words (zod's own message for an unknown enum value lists every allowed one). */
function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  const where = issue.path.join('.') || 'the record';
  if (issue.code !== 'invalid_value') return `${where}: ${issue.message}`.slice(0, 200);
  const found = issue.path.reduce<unknown>((at, key) => (at as Record<PropertyKey, unknown> | undefined)?.[key], value);
  return `${where} ${JSON.stringify(found)?.slice(0, 80)} is not a value this version of CareShell knows`;
}
