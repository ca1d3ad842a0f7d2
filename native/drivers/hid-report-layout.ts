import { z } from 'zod';
import {
  canonicalFromUid,
  canonicalFromWiegand,
  UID_MAX_BYTES,
  UID_MIN_BYTES,
  type CanonicalBadge,
} from '../formats/canonical-id.js';
import { decodeWiegand } from '../formats/wiegand.js';

/**
 * Where a data-mode HID reader puts the card in its input report, as IT copies it from the reader's
 * manual. Offsets count bytes of the report exactly as node-hid delivers it: for readers with numbered
 * reports byte 0 is the report id.
 */
export const hidReportLayoutSchema = z
  .strictObject({
    /** Numbered reports: only reports whose byte 0 equals this are card reports. null: unnumbered. */
    reportId: z.number().int().min(1).max(255).nullable().default(null),
    offset: z.number().int().min(0).max(63),
    /** Bytes of card data. */
    length: z.number().int().min(1).max(UID_MAX_BYTES),
    byteOrder: z.enum(['big-endian', 'little-endian']).default('big-endian'),
    /** Some readers send each byte's bits reversed (first Wiegand bit in the byte's low bit). */
    bitOrder: z.enum(['msb-first', 'lsb-first']).default('msb-first'),
    content: z.discriminatedUnion('kind', [
      z.strictObject({
        kind: z.literal('wiegand'),
        /** Fixed frame length, or the report byte that holds it. Data is right-aligned in the field. */
        bitLength: z.union([z.literal(26), z.literal(35), z.literal(37)]).optional(),
        bitLengthOffset: z.number().int().min(0).max(63).optional(),
      }),
      z.strictObject({
        kind: z.literal('uid'),
        /** Report byte that holds the UID length in bytes; without it the whole field is the UID. */
        byteCountOffset: z.number().int().min(0).max(63).optional(),
      }),
    ]),
    /** An all-zero card field means the card left the field (presence-capable readers). */
    emptyMeansRemoved: z.boolean().default(false),
  })
  .superRefine((layout, ctx) => {
    const { content } = layout;
    if (content.kind === 'wiegand') {
      if ((content.bitLength === undefined) === (content.bitLengthOffset === undefined)) {
        ctx.addIssue({ code: 'custom', path: ['content'], message: 'set exactly one of bitLength or bitLengthOffset' });
      }
      if (layout.length > 6) {
        ctx.addIssue({
          code: 'custom',
          path: ['length'],
          message: 'a Wiegand card field is at most 6 bytes (37 bits)',
        });
      }
    } else if (content.byteCountOffset === undefined && layout.length < UID_MIN_BYTES) {
      ctx.addIssue({ code: 'custom', path: ['length'], message: `a UID field is at least ${UID_MIN_BYTES} bytes` });
    }
  });
export type HidReportLayout = z.infer<typeof hidReportLayoutSchema>;

export type HidReportDecode =
  | { kind: 'card'; badge: CanonicalBadge }
  | { kind: 'empty' }
  /** Not a card report (other report id, too short): ignored without an error. */
  | { kind: 'ignored' }
  | { kind: 'bad'; reason: string };

const REVERSED_BITS = Uint8Array.from({ length: 256 }, (_, b) => {
  let r = 0;
  for (let i = 0; i < 8; i++) r |= ((b >> i) & 1) << (7 - i);
  return r;
});

/** The card field's first `length` bytes in card order (first byte most significant). */
function extractField(layout: HidReportLayout, report: Uint8Array, length: number): Uint8Array {
  const field = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const byte = report[layout.offset + i] ?? 0;
    field[layout.byteOrder === 'little-endian' ? length - 1 - i : i] =
      layout.bitOrder === 'lsb-first' ? (REVERSED_BITS[byte] ?? 0) : byte;
  }
  return field;
}

/** Decodes one input report according to the configured layout. Pure, so the fuzz and the bench use it. */
export function decodeHidReport(layout: HidReportLayout, report: Uint8Array): HidReportDecode {
  if (layout.reportId !== null && report[0] !== layout.reportId) return { kind: 'ignored' };
  if (report.length < layout.offset + layout.length) return { kind: 'ignored' };
  const whole = extractField(layout, report, layout.length);
  if (whole.every((b) => b === 0)) return { kind: 'empty' };

  const { content } = layout;
  if (content.kind === 'uid') {
    if (content.byteCountOffset === undefined) return { kind: 'card', badge: canonicalFromUid(whole) };
    const count = report[content.byteCountOffset] ?? 0;
    if (count < UID_MIN_BYTES || count > layout.length) {
      return {
        kind: 'bad',
        reason: `the reader reported a ${count}-byte UID, outside ${UID_MIN_BYTES}-${layout.length} bytes`,
      };
    }
    return { kind: 'card', badge: canonicalFromUid(extractField(layout, report, count)) };
  }
  const bitLength = content.bitLength ?? report[content.bitLengthOffset ?? 0] ?? 0;
  let frame = 0;
  for (const byte of whole) frame = frame * 256 + byte;
  const result = decodeWiegand(frame, bitLength);
  return result.ok
    ? { kind: 'card', badge: canonicalFromWiegand(result.card) }
    : { kind: 'bad', reason: result.reason };
}
