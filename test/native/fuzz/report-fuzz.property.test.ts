import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeHidReport, hidReportLayoutSchema } from '../../../native/drivers/hid-report-layout.js';
import { decodePcProxCard } from '../../../native/drivers/pcprox-protocol.js';
import {
  decodeWiegand,
  encodeWiegand,
  WIEGAND_FORMAT_BITS,
  type WiegandFormat,
} from '../../../native/formats/wiegand.js';
import { parseGetUidResponse } from '../../../native/pcsc/pcsc-uid.js';
import { BootKeyboardDecoder } from '../../../native/wedge/boot-keyboard-decoder.js';

/*
 * 600,000 random reports (with wedge-fuzz.property.test.ts's 400,000 key sequences: a million cases in all).
 * Properties are cheap on purpose: no decoder throws, and nothing but a parity-valid frame ever becomes a
 * card (checked by re-encoding what was decoded and comparing with the input bits).
 */

const FORMATS = Object.keys(WIEGAND_FORMAT_BITS) as WiegandFormat[];
const bitLengthArb = fc.oneof(fc.constantFrom(26, 35, 37), fc.integer({ min: 0, max: 255 }));

function frameOfLe(bytes: Uint8Array): number {
  let frame = 0;
  for (let i = bytes.length - 1; i >= 0; i--) frame = frame * 256 + bytes[i]!;
  return frame;
}

describe('fuzz: raw reports never crash and never yield a card from garbage', () => {
  it('pcProx card buffers (200,000 random buffer pairs)', () => {
    let cards = 0;
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), bitLengthArb, (buffer0, bitLength) => {
        // Half the cases are squeezed into the card length, so parity is what rejects them.
        const b0 = Buffer.from(buffer0);
        if (bitLength <= 48 && b0[7]! % 2 === 0) {
          for (let i = 0; i < 8; i++)
            b0[i] = i * 8 >= bitLength ? 0 : b0[i]! & (i * 8 + 8 > bitLength ? (1 << (bitLength - i * 8)) - 1 : 0xff);
        }
        const result = decodePcProxCard(b0, Buffer.from([bitLength, bitLength, 0, 0, 0, 0, 0, 0]));
        if (result.ok) cards++;
        // Only the bytes the card length covers are the card (the others may hold anything).
        const card = b0.subarray(0, Math.ceil(bitLength / 8));
        return (
          !result.ok ||
          (WIEGAND_FORMAT_BITS[result.card.format] === bitLength && encodeWiegand(result.card) === frameOfLe(card))
        );
      }),
      { numRuns: 200_000 },
    );
    // Random bits pass parity only by chance (1 in 4 to 1 in 8): both outcomes were exercised.
    expect(cards).toBeGreaterThan(1_000);
    expect(cards).toBeLessThan(50_000);
  });

  it('valid frames with one flipped bit are always rejected for parity (100,000 cases)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FORMATS), fc.nat(), fc.nat(), fc.nat({ max: 36 }), (format, f, n, bit) => {
        const bits = WIEGAND_FORMAT_BITS[format];
        const facility = f % 2 ** { H10301: 8, 'C1000-35': 12, H10304: 16 }[format];
        const number = n % 2 ** { H10301: 16, 'C1000-35': 20, H10304: 19 }[format];
        const frame = encodeWiegand({ format, facility, number });
        const flip = bit % bits;
        const flipped = Math.floor(frame / 2 ** flip) % 2 === 1 ? frame - 2 ** flip : frame + 2 ** flip;
        return !decodeWiegand(flipped, bits).ok;
      }),
      { numRuns: 100_000 },
    );
  });

  it('HID data-mode reports under several layouts (150,000 random reports)', () => {
    const layouts = [
      { reportId: 1, offset: 2, length: 4, content: { kind: 'wiegand', bitLengthOffset: 1 } },
      { offset: 0, length: 5, byteOrder: 'little-endian', content: { kind: 'wiegand', bitLength: 35 } },
      { offset: 1, length: 5, bitOrder: 'lsb-first', content: { kind: 'wiegand', bitLength: 37 } },
      { reportId: 2, offset: 2, length: 10, content: { kind: 'uid', byteCountOffset: 1 } },
      { offset: 0, length: 4, emptyMeansRemoved: true, content: { kind: 'uid' } },
    ].map((l) => hidReportLayoutSchema.parse(l));
    fc.assert(
      fc.property(fc.nat({ max: layouts.length - 1 }), fc.uint8Array({ maxLength: 16 }), (which, report) => {
        const layout = layouts[which]!;
        const decoded = decodeHidReport(layout, report);
        if (decoded.kind !== 'card') return true;
        if (layout.content.kind === 'uid') return /^uid:[0-9a-f]{8,20}$/.test(decoded.badge.badgeId);
        const bits = layout.content.bitLength ?? report[layout.content.bitLengthOffset!]!;
        return WIEGAND_FORMAT_BITS[decoded.badge.format as WiegandFormat] === bits;
      }),
      { numRuns: 150_000 },
    );
  });

  it('PC/SC answers (75,000 random responses): a UID only with 90 00 and a sane length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 14 }), fc.boolean(), (body, ok) => {
        const response = ok ? Uint8Array.from([...body, 0x90, 0x00]) : body;
        const result = parseGetUidResponse(response);
        const n = response.length;
        return !result.ok || (response[n - 2] === 0x90 && response[n - 1] === 0x00 && n - 2 >= 4 && n - 2 <= 10);
      }),
      { numRuns: 75_000 },
    );
  });

  it('boot-keyboard reports (75,000 random reports) decode without throwing', () => {
    const decoder = new BootKeyboardDecoder();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 10 }), (report) => {
        return decoder.decode(report).every((event) => event.code.length > 0 && event.key.length > 0);
      }),
      { numRuns: 75_000 },
    );
  });
});
