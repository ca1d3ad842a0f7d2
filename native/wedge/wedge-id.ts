import { z } from 'zod';
import {
  canonicalFromUid,
  canonicalFromWiegand,
  UID_MAX_BYTES,
  UID_MIN_BYTES,
  type CanonicalBadge,
} from '../formats/canonical-id.js';
import { decodeWiegand, type WiegandFormat } from '../formats/wiegand.js';

const wiegandFormat = z.enum(['H10301', 'C1000-35', 'H10304']);

/**
 * What a wedge reader types, so that its bursts map to the same canonical id as raw readers (the top
 * complaint: one badge, different numbers on differently configured readers).
 * - wiegand-hex: the whole frame, parity included, in hex (e.g. pcProx with bDspHex and no parity strip):
 *   the only wedge mode in which CareShell can check parity, so the recommended one.
 * - wiegand-fields: facility and card number in decimal, split by a delimiter or a fixed facility width;
 *   `fixedFacility` for readers configured to send the card number only.
 * - uid-hex / uid-decimal: a contactless UID, optionally byte-reversed (readers disagree on byte order).
 */
export const wedgeIdSchema = z.discriminatedUnion('kind', [
  /** bitLength: the card length the reader is set to send (leading zero digits are allowed). */
  z.strictObject({ kind: z.literal('wiegand-hex'), bitLength: z.union([z.literal(26), z.literal(35), z.literal(37)]) }),
  z.strictObject({
    kind: z.literal('wiegand-fields'),
    format: wiegandFormat,
    delimiter: z
      .string()
      .length(1)
      .regex(/^[^0-9]$/, 'the delimiter must not be a digit')
      .optional(),
    facilityDigits: z.number().int().min(1).max(5).optional(),
    fixedFacility: z.number().int().min(0).max(65535).optional(),
  }),
  z.strictObject({ kind: z.literal('uid-hex'), reverseBytes: z.boolean().default(false) }),
  z.strictObject({
    kind: z.literal('uid-decimal'),
    bytes: z.number().int().min(UID_MIN_BYTES).max(UID_MAX_BYTES),
    reverseBytes: z.boolean().default(false),
  }),
]);
export type WedgeIdConfig = z.infer<typeof wedgeIdSchema>;

const DIGITS = '0123456789';
const HEX = '0123456789abcdefABCDEF';

/** Characters a burst body may contain for this mapping. */
export function wedgeBodyChars(config: WedgeIdConfig): Set<string> {
  if (config.kind === 'wiegand-hex' || config.kind === 'uid-hex') return new Set(HEX);
  if (config.kind === 'wiegand-fields' && config.delimiter) return new Set(DIGITS + config.delimiter);
  return new Set(DIGITS);
}

export type WedgeIdResult = { ok: true; badge: CanonicalBadge } | { ok: false; reason: string };

const FIELD_WIDTHS: Readonly<Record<WiegandFormat, { facility: number; number: number }>> = {
  H10301: { facility: 8, number: 16 },
  'C1000-35': { facility: 12, number: 20 },
  H10304: { facility: 16, number: 19 },
};

const digitsFor = (bits: number) => ((1n << BigInt(bits)) - 1n).toString().length;

export interface BodyWidth {
  length: number;
  /** What it is, for policy messages ("H10301 card number"); never a number that was read. */
  what: string;
}

/**
 * How many characters a reader types for one card of this kind at full width (leading zeros kept): the
 * shortest and the longest such body. A capture whose minLength is above the shortest never catches those
 * cards, and one whose maxLength is below the longest misses those: either way the badge number is typed
 * into the page.
 */
export function fullWidthBody(config: WedgeIdConfig): { shortest: BodyWidth; longest: BodyWidth } {
  const same = (length: number, what: string) => ({ shortest: { length, what }, longest: { length, what } });
  switch (config.kind) {
    case 'wiegand-hex':
      return same(Math.ceil(config.bitLength / 4), `${config.bitLength}-bit card in hex`);
    case 'wiegand-fields': {
      const fields = FIELD_WIDTHS[config.format];
      const number = digitsFor(fields.number);
      if (config.fixedFacility !== undefined) return same(number, `${config.format} card number`);
      if (config.delimiter !== undefined) {
        return same(digitsFor(fields.facility) + 1 + number, `${config.format} facility, delimiter and card number`);
      }
      return same((config.facilityDigits ?? 0) + number, `${config.format} facility and card number`);
    }
    case 'uid-hex':
      return {
        shortest: { length: 2 * UID_MIN_BYTES, what: `${UID_MIN_BYTES}-byte UID in hex` },
        longest: { length: 2 * UID_MAX_BYTES, what: `${UID_MAX_BYTES}-byte UID in hex` },
      };
    case 'uid-decimal':
      return same(digitsFor(8 * config.bytes), `${config.bytes}-byte UID in decimal`);
  }
}

function fromFields(config: Extract<WedgeIdConfig, { kind: 'wiegand-fields' }>, body: string): WedgeIdResult {
  let facilityText: string | undefined;
  let numberText: string;
  if (config.fixedFacility !== undefined) {
    numberText = body;
  } else if (config.delimiter !== undefined) {
    const parts = body.split(config.delimiter);
    if (parts.length !== 2) return { ok: false, reason: 'the reader did not type exactly one facility delimiter' };
    [facilityText, numberText] = parts as [string, string];
  } else if (config.facilityDigits !== undefined) {
    facilityText = body.slice(0, config.facilityDigits);
    numberText = body.slice(config.facilityDigits);
  } else {
    return { ok: false, reason: 'the wedge policy names neither a delimiter, a facility width nor a fixed facility' };
  }
  const facility = config.fixedFacility ?? Number(facilityText);
  const number = Number(numberText);
  const width = FIELD_WIDTHS[config.format];
  if (!/^\d+$/.test(numberText) || (facilityText !== undefined && !/^\d+$/.test(facilityText))) {
    return { ok: false, reason: 'the reader typed an empty or non-numeric facility or card number' };
  }
  if (facility >= 2 ** width.facility || number >= 2 ** width.number) {
    return { ok: false, reason: `the typed facility or card number does not fit a ${config.format} card` };
  }
  return { ok: true, badge: canonicalFromWiegand({ format: config.format, facility, number }) };
}

function uidBytes(hex: string, reverse: boolean): WedgeIdResult {
  const bytes = Buffer.from(hex, 'hex');
  if (bytes.length < UID_MIN_BYTES || bytes.length > UID_MAX_BYTES) {
    return {
      ok: false,
      reason: `the reader typed a ${bytes.length}-byte UID (expected ${UID_MIN_BYTES}-${UID_MAX_BYTES})`,
    };
  }
  return { ok: true, badge: canonicalFromUid(reverse ? bytes.reverse() : bytes) };
}

/** Maps a burst body to a canonical badge. Reasons never contain the typed number. */
export function wedgeBodyToBadge(config: WedgeIdConfig, body: string): WedgeIdResult {
  switch (config.kind) {
    case 'wiegand-fields':
      return fromFields(config, body);
    case 'wiegand-hex': {
      // 13 hex digits already exceed 2^53; any longer body cannot be a supported frame.
      if (body.length > 12)
        return { ok: false, reason: `the reader typed ${body.length} hex digits, too long for a card` };
      const decoded = decodeWiegand(Number.parseInt(body, 16), config.bitLength);
      return decoded.ok ? { ok: true, badge: canonicalFromWiegand(decoded.card) } : decoded;
    }
    case 'uid-hex':
      if (body.length % 2 !== 0) return { ok: false, reason: 'the reader typed an odd number of hex digits for a UID' };
      return uidBytes(body, config.reverseBytes);
    case 'uid-decimal': {
      const value = BigInt(body);
      if (value >= 1n << BigInt(8 * config.bytes)) {
        return { ok: false, reason: `the typed UID does not fit in ${config.bytes} bytes` };
      }
      return uidBytes(value.toString(16).padStart(config.bytes * 2, '0'), config.reverseBytes);
    }
  }
}

/**
 * True when `body` is what this reader types for some card: it maps to a badge, and for a wiegand-hex frame it
 * has the frame's full width (a reader may pad it with leading zeros, but a longer or shorter number is not a
 * frame of this length, whatever its parity says).
 */
export function wedgeBodyFits(config: WedgeIdConfig, body: string): boolean {
  if (config.kind === 'wiegand-hex') {
    const width = fullWidthBody(config).shortest.length;
    if (body.length < width || !/^0*$/.test(body.slice(0, body.length - width))) return false;
  }
  return wedgeBodyToBadge(config, body).ok;
}

/** True when everything this reader types is decimal digits, as a barcode scanner's numbers are. */
export function typesDigitsOnly(config: WedgeIdConfig): boolean {
  return config.kind === 'uid-decimal' || (config.kind === 'wiegand-fields' && config.delimiter === undefined);
}
