import { describe, expect, it } from 'vitest';
import type { BadgeReaderEvent } from '../../../native/badge-reader.js';
import { KeyboardWedgeReader } from '../../../native/wedge/keyboard-wedge-reader.js';
import { wedgeCaptureSchema } from '../../../native/wedge/wedge-capture-config.js';
import { FakeClock } from '../support/fake-clock.js';
import { captureWedgeInput } from '../../../native/wedge/wedge-input-capture.js';
import { codeFor, FakeWebContents } from './wedge-harness.js';

const problems = (input: unknown) => {
  const result = wedgeCaptureSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('wedge capture policy: length bounds that fit the configured id', () => {
  it('refuses a minLength no card of the kind can reach, naming the key and the fix', () => {
    const fixed = { kind: 'wiegand-fields', format: 'H10301', fixedFacility: 12 };
    expect(problems({ minLength: 6, id: fixed })).toEqual([
      expect.stringMatching(
        /^minLength: minLength 6 is more than the 5 characters of a full H10301 card number.*set minLength to at most 5/,
      ),
    ]);
    expect(problems({ minLength: 11, id: { kind: 'uid-hex' } })).toEqual([
      expect.stringMatching(/^minLength: .*8 characters of a full 4-byte UID in hex/),
    ]);
    expect(problems({ minLength: 8, id: { kind: 'wiegand-hex', bitLength: 26 } })).toEqual([
      expect.stringMatching(/^minLength: .*7 characters of a full 26-bit card in hex/),
    ]);
  });

  it('refuses a maxLength that would let the longest cards through', () => {
    expect(problems({ maxLength: 10, id: { kind: 'wiegand-fields', format: 'C1000-35', delimiter: ':' } })).toEqual([
      expect.stringMatching(
        /^maxLength: maxLength 10 is less than the 12 characters of a full C1000-35 facility, delimiter and card number.*at least 12/,
      ),
    ]);
    expect(problems({ maxLength: 16, id: { kind: 'uid-hex' } })).toEqual([
      expect.stringMatching(/^maxLength: .*20 characters of a full 10-byte UID in hex/),
    ]);
  });

  it('defaults the bounds per kind so that every card of the kind fits', () => {
    const defaults = (id: unknown) => {
      const { minLength, maxLength } = wedgeCaptureSchema.parse({ id });
      return [minLength, maxLength];
    };
    expect(defaults({ kind: 'wiegand-fields', format: 'H10301', fixedFacility: 12 })).toEqual([4, 24]);
    expect(defaults({ kind: 'wiegand-fields', format: 'H10301', delimiter: ':' })).toEqual([4, 24]);
    expect(defaults({ kind: 'wiegand-hex', bitLength: 26 })).toEqual([6, 24]);
    expect(defaults({ kind: 'uid-hex' })).toEqual([6, 24]);
    expect(defaults({ kind: 'uid-decimal', bytes: 10 })).toEqual([6, 25]);
  });

  it('asks for exactly one way of splitting facility and card number', () => {
    expect(problems({ id: { kind: 'wiegand-fields', format: 'H10301' } })).toEqual([
      expect.stringMatching(/^id: set exactly one of delimiter, facilityDigits or fixedFacility/),
    ]);
    expect(
      problems({ id: { kind: 'wiegand-fields', format: 'H10301', delimiter: ':', fixedFacility: 1 } }),
    ).toHaveLength(1);
  });

  it("still requires a prefix, suffix or long minLength with terminator 'none'", () => {
    expect(
      problems({ terminator: 'none', id: { kind: 'wiegand-fields', format: 'H10301', fixedFacility: 12 } }),
    ).toEqual([expect.stringMatching(/^terminator: with terminator 'none', set a prefix or suffix/)]);
    expect(
      problems({
        terminator: 'none',
        prefix: ';',
        id: { kind: 'wiegand-fields', format: 'H10301', fixedFacility: 12 },
      }),
    ).toEqual([]);
  });

  it('with the default lengths, a fixed-facility reader typing an unpadded card number is caught, not typed into the page', () => {
    const clock = new FakeClock();
    const capture = wedgeCaptureSchema.parse({
      digitsOnly: 'badge',
      id: { kind: 'wiegand-fields', format: 'H10301', fixedFacility: 12 },
    });
    const reader = new KeyboardWedgeReader({ id: 'wedge', description: 'Wedge', capture, clock });
    const events: BadgeReaderEvent[] = [];
    reader.onEvent((e) => events.push(e));
    void reader.start();
    const contents = new FakeWebContents();
    captureWedgeInput(contents, [reader], clock);
    for (const key of [...'3456', 'Enter']) {
      contents.type({ type: 'keyDown', key, code: codeFor(key) });
      clock.advanceSync(8);
    }
    clock.advanceSync(1000);
    expect(contents.page).toEqual([]);
    expect(events.at(-1)).toEqual({ kind: 'tap', readerId: 'wedge', badgeId: 'H10301:12:3456', format: 'H10301' });
  });
});
