import { describe, expect, it } from 'vitest';
import { decodeWiegand, encodeWiegand, type WiegandFormat } from '../../../native/formats/wiegand.js';

// Agreement with the proxmark3 formulation over random cards: wiegand.property.test.ts.
describe('Wiegand formats', () => {
  it.each<[WiegandFormat, number]>([
    ['H10301', 26],
    ['C1000-35', 35],
    ['H10304', 37],
  ])('%s: every single-bit error is rejected as a parity failure, never a card', (format, bits) => {
    const frame = encodeWiegand({ format, facility: 101, number: 4242 });
    for (let bit = 0; bit < bits; bit++) {
      const flipped = frame + (Math.floor(frame / 2 ** bit) % 2 === 1 ? -1 : 1) * 2 ** bit;
      const result = decodeWiegand(flipped, bits);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(/parity/);
    }
  });

  it('rejects unsupported lengths and oversize frames with reasons that hold no card number', () => {
    const bad = decodeWiegand(0x1234, 34);
    expect(bad).toEqual({ ok: false, reason: expect.stringContaining('34 bits') });
    const oversize = decodeWiegand(2 ** 26, 26);
    expect(oversize.ok).toBe(false);
    const parity = decodeWiegand(encodeWiegand({ format: 'H10301', facility: 77, number: 31337 }) ^ 1, 26);
    expect(parity.ok).toBe(false);
    if (!parity.ok) expect(parity.reason).not.toMatch(/31337|77/);
  });

  it('refuses to encode fields that do not fit', () => {
    expect(() => encodeWiegand({ format: 'H10301', facility: 256, number: 1 })).toThrow(RangeError);
    expect(() => encodeWiegand({ format: 'H10304', facility: 1, number: 2 ** 19 })).toThrow(RangeError);
  });
});
