import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeWiegand, encodeWiegand, type WiegandFormat } from '../../../native/formats/wiegand.js';

/*
 * An independent oracle: proxmark3 client/src/wiegand_formats.c's own formulation (LSB-indexed words
 * `Bot` = bits 0-31 and `Mid` = bits 32+, masks as written there), re-expressed here. The production
 * decoder uses transmission-order field tables instead, so agreement checks both.
 */
const parity32 = (x: number) => {
  let v = x >>> 0;
  v ^= v >>> 16;
  v ^= v >>> 8;
  v ^= v >>> 4;
  v ^= v >>> 2;
  v ^= v >>> 1;
  return v & 1;
};
const even = parity32;
const odd = (x: number) => 1 - parity32(x);

function proxmarkH10301(card: number, fc_: number): number {
  let bot = ((card & 0xffff) << 1) | ((fc_ & 0xff) << 17);
  bot |= odd((bot >>> 1) & 0xfff);
  bot |= even((bot >>> 13) & 0xfff) << 25;
  return bot >>> 0;
}

function proxmarkC1k35(card: number, fc_: number): number {
  let bot = (((card & 0xfffff) << 1) | ((fc_ & 0x7ff) << 21)) >>> 0;
  let mid = (fc_ & 0x800) >>> 11;
  mid |= even((mid & 0x1) ^ (bot & 0xb6db6db6)) << 1;
  bot = (bot | odd((mid & 0x3) ^ (bot & 0x6db6db6c))) >>> 0;
  mid |= odd((mid & 0x3) ^ bot) << 2;
  return mid * 2 ** 32 + bot;
}

/** H10304 via proxmark's get_linear_field positions (position 0 = first transmitted bit). */
function proxmarkH10304(card: number, fc_: number): number {
  const bits = new Array<number>(37).fill(0);
  for (let i = 0; i < 16; i++) bits[1 + i] = Math.floor(fc_ / 2 ** (15 - i)) % 2;
  for (let i = 0; i < 19; i++) bits[17 + i] = Math.floor(card / 2 ** (18 - i)) % 2;
  const sum = (from: number, to: number) => bits.slice(from, to + 1).reduce((a, b) => a + b, 0);
  bits[0] = sum(1, 18) % 2;
  bits[36] = 1 - (sum(18, 35) % 2);
  return bits.reduce((acc, b) => acc * 2 + b, 0);
}

describe('Wiegand formats against an independent oracle', () => {
  it('decodes a known H10301 frame (facility 12, card 3456) built from the public bit layout', () => {
    // P | 00001100 | 0000110110000000 | P. Positions 1-12 hold two ones: even parity 0. Positions 13-24
    // (110110000000) hold four: odd parity 1.
    const frame = proxmarkH10301(3456, 12);
    expect(decodeWiegand(frame, 26)).toEqual({ ok: true, card: { format: 'H10301', facility: 12, number: 3456 } });
    expect(frame.toString(2).padStart(26, '0')).toBe('0' + '00001100' + '0000110110000000' + '1');
  });

  it.each<[WiegandFormat, number, (card: number, fc_: number) => number, number, number]>([
    ['H10301', 26, proxmarkH10301, 0xff, 0xffff],
    ['C1000-35', 35, proxmarkC1k35, 0xfff, 0xfffff],
    ['H10304', 37, proxmarkH10304, 0xffff, 0x7ffff],
  ])('%s agrees with the proxmark3 formulation for random cards', (format, bits, oracle, maxFc, maxCard) => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: maxFc }), fc.integer({ min: 0, max: maxCard }), (facility, number) => {
        const frame = oracle(number, facility);
        expect(encodeWiegand({ format, facility, number })).toBe(frame);
        expect(decodeWiegand(frame, bits)).toEqual({ ok: true, card: { format, facility, number } });
      }),
      { numRuns: 2000 },
    );
  });
});
