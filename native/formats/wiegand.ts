/**
 * HID Prox Wiegand card formats with parity checks. A Wiegand frame is handled as an integer whose most
 * significant bit is the first bit transmitted ("position 0"), so the field tables below read exactly like
 * the public format descriptions. Bit layouts and parity masks were checked against
 * proxmark3 client/src/wiegand_formats.c (Pack_/Unpack_H10301, Pack_/Unpack_C1k35s, Pack_/Unpack_H10304).
 * Frames are at most 37 bits, so a JS number holds them exactly (2^53 > 2^37).
 */

export type WiegandFormat = 'H10301' | 'C1000-35' | 'H10304';

export interface WiegandCard {
  format: WiegandFormat;
  /** Facility code (H10301, H10304) or company id (Corporate 1000). */
  facility: number;
  /** Card number within the facility / company. */
  number: number;
}

export type WiegandDecodeResult = { ok: true; card: WiegandCard } | { ok: false; reason: string };

export const WIEGAND_FORMAT_BITS: Readonly<Record<WiegandFormat, number>> = {
  H10301: 26,
  'C1000-35': 35,
  H10304: 37,
};

/** Value of the bit at `position` (0 = first transmitted) of a `length`-bit frame. */
function bitAt(frame: number, length: number, position: number): number {
  return Math.floor(frame / 2 ** (length - 1 - position)) % 2;
}

/** Unsigned field of `width` bits starting at `position`, first transmitted bit most significant. */
function fieldAt(frame: number, length: number, position: number, width: number): number {
  return Math.floor(frame / 2 ** (length - position - width)) % 2 ** width;
}

/** Number of set bits among the given positions. */
function onesAt(frame: number, length: number, positions: readonly number[]): number {
  let ones = 0;
  for (const p of positions) ones += bitAt(frame, length, p);
  return ones;
}

function range(from: number, toInclusive: number): number[] {
  return Array.from({ length: toInclusive - from + 1 }, (_, i) => from + i);
}

interface ParityRule {
  /** Position of the parity bit. */
  at: number;
  /** Positions it covers. */
  over: readonly number[];
  kind: 'even' | 'odd';
}

interface FormatLayout {
  length: number;
  facility: { position: number; width: number };
  number: { position: number; width: number };
  parity: readonly ParityRule[];
}

/*
 * Corporate 1000 35-bit, translated from proxmark3's LSB-indexed masks (LSB index i = position 34 - i):
 *   position 1  (LSB 33) even over LSB 32 and Bot & 0xB6DB6DB6 (LSB i < 32 with i % 3 != 0)
 *   position 34 (LSB 0)  odd  over LSB 32, 33 and Bot & 0x6DB6DB6C (LSB 2..31 with i % 3 != 1)
 *   position 0  (LSB 34) odd  over every other bit (LSB 0..33)
 */
const C1K35_EVEN_LSB = [32, ...range(0, 31).filter((i) => i % 3 !== 0)];
const C1K35_ODD_LSB = [32, 33, ...range(2, 31).filter((i) => i % 3 !== 1)];
const toC1k35Position = (lsb: number) => 34 - lsb;

const LAYOUTS: Readonly<Record<WiegandFormat, FormatLayout>> = {
  // H10301: P | FC(8) | CN(16) | P; even parity over positions 1-12, odd over 13-24.
  H10301: {
    length: 26,
    facility: { position: 1, width: 8 },
    number: { position: 9, width: 16 },
    parity: [
      { at: 0, over: range(1, 12), kind: 'even' },
      { at: 25, over: range(13, 24), kind: 'odd' },
    ],
  },
  // Corporate 1000 35-bit: P | P | company(12) | card(20) | P. The outer odd parity is checked last
  // because it covers the other two parity bits.
  'C1000-35': {
    length: 35,
    facility: { position: 2, width: 12 },
    number: { position: 14, width: 20 },
    parity: [
      { at: 1, over: C1K35_EVEN_LSB.map(toC1k35Position), kind: 'even' },
      { at: 34, over: C1K35_ODD_LSB.map(toC1k35Position), kind: 'odd' },
      { at: 0, over: range(1, 34), kind: 'odd' },
    ],
  },
  // H10304: P | FC(16) | CN(19) | P; even parity over positions 1-18, odd over 18-35.
  H10304: {
    length: 37,
    facility: { position: 1, width: 16 },
    number: { position: 17, width: 19 },
    parity: [
      { at: 0, over: range(1, 18), kind: 'even' },
      { at: 36, over: range(18, 35), kind: 'odd' },
    ],
  },
};

const FORMAT_BY_LENGTH = new Map<number, WiegandFormat>(
  (Object.keys(LAYOUTS) as WiegandFormat[]).map((format) => [LAYOUTS[format].length, format]),
);

function parityHolds(frame: number, layout: FormatLayout, rule: ParityRule): boolean {
  const total = onesAt(frame, layout.length, rule.over) + bitAt(frame, layout.length, rule.at);
  return rule.kind === 'even' ? total % 2 === 0 : total % 2 === 1;
}

/**
 * Decodes a raw Wiegand frame of `bitLength` bits (parity bits included). Error reasons never contain
 * the card's numbers, so they are safe to log and to show to IT.
 */
export function decodeWiegand(frame: number, bitLength: number): WiegandDecodeResult {
  const format = FORMAT_BY_LENGTH.get(bitLength);
  if (format === undefined) {
    return {
      ok: false,
      reason: `unsupported card length of ${bitLength} bits (supported: 26-bit H10301, 35-bit Corporate 1000, 37-bit H10304)`,
    };
  }
  if (!Number.isSafeInteger(frame) || frame < 0 || frame >= 2 ** bitLength) {
    return { ok: false, reason: `the reader returned more data than a ${bitLength}-bit card holds` };
  }
  const layout = LAYOUTS[format];
  for (const rule of layout.parity) {
    if (!parityHolds(frame, layout, rule)) {
      return {
        ok: false,
        reason: `parity check failed on a ${bitLength}-bit ${format} read (bad read or unsupported format)`,
      };
    }
  }
  return {
    ok: true,
    card: {
      format,
      facility: fieldAt(frame, layout.length, layout.facility.position, layout.facility.width),
      number: fieldAt(frame, layout.length, layout.number.position, layout.number.width),
    },
  };
}

/**
 * Builds a valid frame for a card (used by the reader bench, test fixtures and anything that must emulate
 * a card). Throws when a field does not fit the format.
 */
export function encodeWiegand(card: WiegandCard): number {
  const layout = LAYOUTS[card.format];
  const fits = (value: number, width: number) => Number.isSafeInteger(value) && value >= 0 && value < 2 ** width;
  if (!fits(card.facility, layout.facility.width) || !fits(card.number, layout.number.width)) {
    throw new RangeError(`facility or card number out of range for ${card.format}`);
  }
  const place = (value: number, position: number, width: number) => value * 2 ** (layout.length - position - width);
  let frame =
    place(card.facility, layout.facility.position, layout.facility.width) +
    place(card.number, layout.number.position, layout.number.width);
  // Parity rules are ordered so that each one only covers bits already final.
  for (const rule of layout.parity) {
    const ones = onesAt(frame, layout.length, rule.over);
    const bit = rule.kind === 'even' ? ones % 2 : 1 - (ones % 2);
    frame += bit * 2 ** (layout.length - 1 - rule.at);
  }
  return frame;
}
