import { describe, expect, it } from 'vitest';
import { loadWedgeCorpus, runWedgeCorpus } from '../../../bench/support/wedge-corpus.js';
import { parseReaderConfig } from '../../../native/manager/reader-config.js';
import { isGtinBarcode } from '../../../native/wedge/barcode-shapes.js';
import { isBadgeBurst } from '../../../native/wedge/wedge-burst-classifier.js';
import { burstClassifierPolicy, keyboardWedgeCaptureSchema } from '../../../native/wedge/wedge-capture-config.js';

/**
 * Barcodes are not badges: the corpus (test/fixtures/readers/wedge-bursts.json) of reader, scanner and human
 * bursts, typed at their recorded speed into a page guarded by a keyboard-wedge reader.
 */
const corpus = loadWedgeCorpus();
const count = (source: string, shape?: string) =>
  corpus.filter((b) => b.source === source && (shape === undefined || b.shape === shape)).length;
const HEX_26 = { kind: 'wiegand-hex', bitLength: 26 };
/** A badge frame in hex that is digits only: a scanner could have typed the same. */
const digitsOnlyBadges = corpus.filter((b) => b.source === 'badge' && /^[0-9]+$/.test(b.text)).length;

describe('the corpus', () => {
  it('holds what the wards scan and type, at their speed', () => {
    expect(count('barcode', 'EAN-13')).toBeGreaterThanOrEqual(100);
    expect(count('barcode', 'UPC-A')).toBeGreaterThanOrEqual(100);
    expect(count('barcode', '7-digit wristband MRN')).toBeGreaterThanOrEqual(200);
    expect(count('barcode', '8-digit wristband MRN')).toBeGreaterThanOrEqual(100);
    expect(count('badge')).toBeGreaterThanOrEqual(200);
    expect(count('human')).toBeGreaterThanOrEqual(50);
    for (const b of corpus.filter((x) => x.source === 'barcode')) expect(Math.max(...b.gapsMs)).toBeLessThanOrEqual(8);
    for (const b of corpus.filter((x) => x.shape === 'EAN-13' || x.shape === 'UPC-A'))
      expect(isGtinBarcode(b.text)).toBe(true);
  });
});

describe('a keyboard-wedge reader with the default settings (26-bit frames in hex, no prefix or suffix)', () => {
  const outcome = runWedgeCorpus({ id: HEX_26 }, corpus);

  it('swallows no barcode and turns none into a tap', () => {
    expect(outcome).toMatchObject({ barcodeSwallowed: 0, barcodeFalseTaps: 0 });
  });

  it('leaves people typing alone', () => {
    expect(outcome).toMatchObject({ humanSwallowed: 0, humanFalseTaps: 0 });
  });

  it('catches every badge frame with a hex letter; a digits-only frame, which any scanner could type, goes to the page', () => {
    expect(digitsOnlyBadges).toBeGreaterThan(0);
    expect(outcome.badgeBurstsMissed).toBe(digitsOnlyBadges);
  });
});

describe('a reader that types a prefix and suffix around the frame', () => {
  it('catches every badge and still swallows no barcode', () => {
    expect(runWedgeCorpus({ prefix: ';', suffix: '?', id: HEX_26 }, corpus)).toEqual({
      bursts: corpus.length,
      barcodeSwallowed: 0,
      barcodeFalseTaps: 0,
      badgeBurstsMissed: 0,
      humanSwallowed: 0,
      humanFalseTaps: 0,
    });
  });
});

describe("digitsOnly 'badge'", () => {
  it('catches every badge, and then only the passThrough patterns keep wristband MRNs from becoming taps', () => {
    const trusting = runWedgeCorpus({ digitsOnly: 'badge', id: HEX_26 }, corpus);
    expect(trusting.badgeBurstsMissed).toBe(0);
    expect(trusting.barcodeFalseTaps).toBeGreaterThan(0); // 7-digit MRNs whose parity happens to check out
    const withMrns = runWedgeCorpus({ digitsOnly: 'badge', passThrough: ['[0-9]{7,8}'], id: HEX_26 }, corpus);
    expect(withMrns).toMatchObject({ barcodeSwallowed: 0, barcodeFalseTaps: 0 });
  });
});

describe('isBadgeBurst', () => {
  const policy = (over: Record<string, unknown> = {}) =>
    burstClassifierPolicy(keyboardWedgeCaptureSchema.parse({ id: HEX_26, ...over }));
  it('takes only a burst that fits the configured frame width and kind', () => {
    expect(isBadgeBurst(policy(), '2A1B223')).toBe(true);
    expect(isBadgeBurst(policy(), '02A1B223')).toBe(true); // padded with a leading zero
    expect(isBadgeBurst(policy(), '2A1B2230')).toBe(false); // one digit too many
    expect(isBadgeBurst(policy(), '2A1B222')).toBe(false); // parity does not check out
  });
  it('takes a framed burst as the reader typed it, even one it cannot map (reported as a reader error)', () => {
    expect(isBadgeBurst(policy({ prefix: ';' }), '1234567')).toBe(true);
  });
  it('passes GTINs with a valid check digit and the configured patterns', () => {
    expect(isGtinBarcode('036000291452')).toBe(true); // UPC-A
    expect(isGtinBarcode('036000291453')).toBe(false);
    expect(isGtinBarcode('4006381333931')).toBe(true); // EAN-13
    expect(isGtinBarcode('96385074')).toBe(false); // EAN-8 is deliberately not a known shape
    // Twelve digits are a 6-byte UID in hex, or a UPC-A.
    const uid = { id: { kind: 'uid-hex' }, digitsOnly: 'badge' };
    expect(isBadgeBurst(policy(uid), '036000291453')).toBe(true);
    expect(isBadgeBurst(policy(uid), '036000291452')).toBe(false);
    expect(isBadgeBurst(policy({ ...uid, passThrough: ['0360[0-9]{8}'] }), '036000291453')).toBe(false);
    expect(isBadgeBurst(policy({ ...uid, passThrough: ['0360'] }), '036000291453')).toBe(true); // whole bursts only
  });
  it('refuses a digits-only reader without prefix or suffix unless told what digits-only bursts are', () => {
    const fields = { kind: 'wiegand-fields', format: 'H10301', facilityDigits: 3 };
    expect(keyboardWedgeCaptureSchema.safeParse({ id: fields }).error?.issues.map((i) => i.message)).toEqual([
      expect.stringMatching(/types only digits, as a barcode scanner does.*set a prefix or suffix.*digitsOnly 'badge'/),
    ]);
    expect(keyboardWedgeCaptureSchema.safeParse({ id: fields, suffix: '#' }).success).toBe(true);
    // A hidraw-wedge reader is read from its own device: no scanner can type into it, so no frame is needed.
    const hidraw = { driver: 'hidraw-wedge', id: 'k', vendorId: 1, productId: 2, capture: { id: fields } };
    expect(() => parseReaderConfig({ readers: [hidraw] })).not.toThrow();
    expect(() =>
      parseReaderConfig({ readers: [{ driver: 'keyboard-wedge', id: 'w', capture: { id: fields } }] }),
    ).toThrow(/digitsOnly/);
    expect(keyboardWedgeCaptureSchema.safeParse({ id: fields, digitsOnly: 'badge' }).success).toBe(true);
    expect(keyboardWedgeCaptureSchema.safeParse({ id: HEX_26, passThrough: ['[0-9'] }).error?.issues[0]?.message).toBe(
      'not a valid regular expression',
    );
  });
});
