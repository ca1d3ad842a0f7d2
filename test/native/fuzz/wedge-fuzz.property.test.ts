import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { captureWedgeInput } from '../../../native/wedge/wedge-input-capture.js';
import { FakeClock } from '../support/fake-clock.js';
import { detectorSource, FakeWebContents } from '../wedge/wedge-harness.js';

/*
 * 400,000 random key sequences (with report-fuzz.property.test.ts's 600,000 reports: 1,000,000 cases). Keys come
 * from a small alphabet that makes bursts likely, typed on the main keys or the numpad; gaps range from
 * reader speed to slow typing. Keys go through the real capture on a fake webContents, whose replays echo
 * back as Electron's sendInputEvent makes them: the same key with its US-layout code (a numpad 1 comes
 * back as Digit1). Properties:
 * nothing throws; every typed key reaches the page exactly once and in order unless it was part of a
 * recognised burst; a burst is well-formed; and when every gap is longer than the window, nothing is
 * ever swallowed (a person typing is never swallowed).
 */

/** [key, code] as typed: digits and Enter on the main keys and on the numpad. */
const KEYS = [
  ['1', 'Digit1'],
  ['2', 'Numpad2'],
  ['3', 'Digit3'],
  ['0', 'Numpad0'],
  ['9', 'Digit9'],
  ['a', 'KeyA'],
  ['Enter', 'Enter'],
  [' ', 'Space'],
  ['5', 'Numpad5'],
  ['7', 'Digit7'],
  ['1', 'Numpad1'],
  ['x', 'KeyX'],
  ['Enter', 'NumpadEnter'],
] as const;
const GAPS = [1, 4, 8, 12, 16, 20, 30, 34, 35, 36, 40, 60, 100, 200, 400, 1000];
const WINDOW = 35;
const MIN = 4;

describe('fuzz: keyboard-wedge detector', () => {
  it('400,000 random key sequences keep every non-burst key, in order', () => {
    let withBursts = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: KEYS.length - 1 }), fc.nat({ max: GAPS.length - 1 })), { maxLength: 14 }),
        (seq) => {
          const clock = new FakeClock();
          const bursts: string[] = [];
          // The real capture on a fake webContents whose echoes carry US-layout codes (wedge-harness.ts).
          const contents = new FakeWebContents();
          const source = detectorSource({
            clock,
            pattern: { prefix: '', suffix: '', bodyChars: new Set('1234567890'), minBodyLength: MIN, maxBodyLength: 8 },
            terminator: 'Enter',
            maxInterKeyMs: WINDOW,
            onBurst: (body) => bursts.push(body),
          });
          captureWedgeInput(contents, [source], clock);
          const typed: string[] = [];
          let allSlow = true;
          for (const [k, g] of seq) {
            const [key, code] = KEYS[k]!;
            const gap = GAPS[g]!;
            if (typed.length > 0 && gap <= WINDOW) allSlow = false;
            clock.advanceSync(gap);
            typed.push(key);
            contents.type({ type: 'keyDown', key, code });
            contents.type({ type: 'keyUp', key, code });
          }
          clock.advanceSync(1000);
          if (bursts.length > 0) withBursts++;
          // The echo of a replayed key passes straight through.
          if (contents.echoesPrevented > 0) return false;
          // Remove each burst (body + Enter) from the typed stream; what remains must be the page, in order.
          let rest = typed.join('|');
          for (const body of bursts) {
            if (!/^\d{4,8}$/.test(body)) return false;
            const burst = [...body, 'Enter'].join('|');
            const at = rest.indexOf(burst);
            if (at < 0) return false;
            rest = rest.slice(0, at) + rest.slice(at + burst.length);
          }
          const remaining = rest.split('|').filter((s) => s !== '');
          if (allSlow && bursts.length > 0) return false;
          return remaining.join('|') === contents.page.join('|');
        },
      ),
      { numRuns: 400_000 },
    );
    expect(withBursts).toBeGreaterThan(100);
  });
});
