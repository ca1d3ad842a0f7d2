import { hash } from 'node:crypto';
import type { AuditEvent } from '../audit-event.js';

/**
 * One line of a segment file is one record: its canonical JSON (canonical-json.ts) and "\n".
 * `prev` is the SHA-256 (hex) of the previous record's canonical bytes, so every record commits to the
 * whole history before it; the first record of a journal points at GENESIS_HASH.
 */
export const GENESIS_HASH = '0'.repeat(64);

export interface EventRecord {
  kind: 'event';
  seq: number;
  /** Stable event id (uuid): what collectors use to drop duplicates of an at-least-once delivery. */
  id: string;
  prev: string;
  event: AuditEvent;
}

/** A signature over the chain head: proves every record up to `seq - 1` was written by this installation. */
export interface CheckpointRecord {
  kind: 'checkpoint';
  seq: number;
  id: string;
  prev: string;
  /** `fingerprint` and `workstation` are in every checkpoint written since head witnessing (journal-head.ts). */
  checkpoint: { at: string; keyId: string; fingerprint?: string; workstation?: string; sig: string };
}

export type JournalRecord = EventRecord | CheckpointRecord;

export function sha256Hex(bytes: NodeJS.ArrayBufferView | string): string {
  return hash('sha256', bytes, 'hex');
}

/** The fields verification needs, read from the fixed layout sorted keys give every line. */
export interface RecordFrame {
  kind: 'event' | 'checkpoint';
  seq: number;
  prev: string;
}

/** Where parseFrame leaves a line's frame: one object reused for every line, so the verify loop allocates nothing per record. */
export interface FrameSlots {
  kind: RecordFrame['kind'];
  seq: number;
  /** Offset in the buffer of the 64 hex digits of `prev`. */
  prevStart: number;
}

const EVENT_START = Buffer.from('{"event":');
const CHECKPOINT_START = Buffer.from('{"checkpoint":');
const SEQ_KEY = Buffer.from('","seq":');
const PREV_KEY = Buffer.from(',"prev":"');
const EVENT_KIND = Buffer.from('"kind":"event"');
const CHECKPOINT_KIND = Buffer.from('"kind":"checkpoint"');

function matches(buf: Uint8Array, at: number, expected: Uint8Array): boolean {
  if (at < 0 || at + expected.length > buf.length) return false;
  for (let i = 0; i < expected.length; i++) if (buf[at + i] !== expected[i]) return false;
  return true;
}

/**
 * Reads kind, seq and where prev is from the line `buf[start, end)` without a full JSON parse: sorted keys
 * put `..."kind":K,"prev":"<64 hex>","seq":N}` at the end of every record. Verification runs this over
 * millions of records, so it is O(1) per line and fills `out` instead of allocating. Returns a description
 * of the problem when the line does not have the shape of a record (then `out` is meaningless).
 */
export function parseFrame(buf: Uint8Array, start: number, end: number, out: FrameSlots): string | undefined {
  if (buf[end - 1] !== 0x7d) return 'does not end with "}"';
  let digits = end - 1;
  while (digits > start && digits > end - 18 && buf[digits - 1]! >= 0x30 && buf[digits - 1]! <= 0x39) digits--;
  const seqLength = end - 1 - digits;
  if (seqLength === 0 || seqLength > 15 || (buf[digits] === 0x30 && seqLength > 1)) return 'has no valid "seq"';
  let seq = 0;
  for (let i = digits; i < end - 1; i++) seq = seq * 10 + (buf[i]! - 0x30);
  const seqKey = digits - SEQ_KEY.length;
  const prevStart = seqKey - 64;
  const prevKey = prevStart - PREV_KEY.length;
  if (prevKey < start || !matches(buf, seqKey, SEQ_KEY) || !matches(buf, prevKey, PREV_KEY))
    return 'has no valid "prev" and "seq"';
  if (matches(buf, start, EVENT_START) && matches(buf, prevKey - EVENT_KIND.length, EVENT_KIND)) out.kind = 'event';
  else if (matches(buf, start, CHECKPOINT_START) && matches(buf, prevKey - CHECKPOINT_KIND.length, CHECKPOINT_KIND))
    out.kind = 'checkpoint';
  else return 'is neither an event nor a checkpoint record';
  out.seq = seq;
  out.prevStart = prevStart;
  return undefined;
}

/** parseFrame for one-off reads (readers, recovery): the frame as a fresh object with `prev` as a string. */
export function readFrame(buf: Buffer, start: number, end: number): RecordFrame | string {
  const out: FrameSlots = { kind: 'event', seq: 0, prevStart: 0 };
  const problem = parseFrame(buf, start, end, out);
  return problem ?? { kind: out.kind, seq: out.seq, prev: buf.toString('latin1', out.prevStart, out.prevStart + 64) };
}
