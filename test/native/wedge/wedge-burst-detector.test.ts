import { describe, expect, it } from 'vitest';
import { DIGITS, typeText, WedgeHarness, type Press } from './wedge-harness.js';

const digitsPattern = (min = 6, max = 12, prefix = '', suffix = '') => ({
  prefix,
  suffix,
  bodyChars: DIGITS,
  minBodyLength: min,
  maxBodyLength: max,
});

/** A reader types a key every 8 ms (keyDown, keyUp 4 ms later): RF IDeas' default key timing is ~4+4 ms. */
const READER_GAP = 8;

/** A fast typist (~110 wpm): 60-200 ms between keys, with occasional 25 ms roll-over pairs. */
function humanGaps(seed: number): (i: number) => number {
  let s = seed;
  return (i) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    if (i % 5 === 2) return 25;
    return 60 + (s % 140);
  };
}

describe('WedgeBurstDetector', () => {
  it('swallows a reader burst entirely and reports its body once', () => {
    const h = new WedgeHarness({ pattern: digitsPattern(), terminator: 'Enter', maxInterKeyMs: 35 });
    h.run(typeText('00123456\n', 100, READER_GAP));
    expect(h.bursts).toEqual(['00123456']);
    expect(h.page).toEqual([]);
  });

  it('never swallows a fast human typing words, digits and Enter, and keeps their order', () => {
    const h = new WedgeHarness({ pattern: digitsPattern(), terminator: 'Enter', maxInterKeyMs: 35 });
    const text = 'BP 120/80 at 0915, pt 4412987 stable\n';
    h.run(typeText(text, 100, humanGaps(7)));
    expect(h.bursts).toEqual([]);
    expect(h.page.join('')).toBe(text.replace('\n', 'Enter'));
    expect(h.echoesPrevented).toBe(0);
    // Held keys are replayed promptly: at most the burst window after they were typed (plus the timer tick).
    expect(h.maxDelayMs).toBeLessThanOrEqual(35 + 1 + 25);
  });

  it('lets a person type a number as fast as 30 ms per key without losing it to the detector', () => {
    const h = new WedgeHarness({ pattern: digitsPattern(), terminator: 'Enter', maxInterKeyMs: 20 });
    h.run(typeText('5551234\n', 100, 30));
    expect(h.bursts).toEqual([]);
    expect(h.page.join('')).toBe('5551234Enter');
  });

  it('separates a person typing from a badge burst that follows 50 ms later', () => {
    const h = new WedgeHarness({ pattern: digitsPattern(), terminator: 'Enter', maxInterKeyMs: 35 });
    const human = typeText('room 12', 100, humanGaps(3));
    const last = human.at(-1)!.at;
    h.run([...human, ...typeText('987654321\n', last + 50, READER_GAP)]);
    expect(h.bursts).toEqual(['987654321']);
    expect(h.page.join('')).toBe('room 12');
  });

  it('releases held digits in order when the pattern breaks (letter after digits)', () => {
    const h = new WedgeHarness({ pattern: digitsPattern(), terminator: 'Enter', maxInterKeyMs: 35 });
    h.run(typeText('12a', 100, 10));
    expect(h.page).toEqual(['1', '2', 'a']);
    expect(h.bursts).toEqual([]);
  });

  it('does not accept a burst shorter than the minimum or with a gap longer than the window', () => {
    const h = new WedgeHarness({ pattern: digitsPattern(6), terminator: 'Enter', maxInterKeyMs: 35 });
    h.run(typeText('1234\n', 100, READER_GAP));
    const gappy: Press[] = typeText('123456\n', 2000, (i) => (i === 2 ? 60 : READER_GAP));
    h.run(gappy);
    expect(h.bursts).toEqual([]);
    expect(h.page.join('')).toBe('1234Enter123456Enter');
  });

  it('handles prefix, suffix, Shift and no terminator (completed by the gap timer)', () => {
    const h = new WedgeHarness({
      pattern: {
        prefix: ';',
        suffix: '?',
        bodyChars: new Set('0123456789ABCDEF'),
        minBodyLength: 8,
        maxBodyLength: 20,
      },
      terminator: 'none',
      maxInterKeyMs: 35,
    });
    const presses: Press[] = [{ key: ';', at: 100 }];
    let at = 108;
    for (const ch of '04A1B2C3') {
      if (/[A-F]/.test(ch)) {
        presses.push({ key: 'Shift', code: 'ShiftLeft', at, holdMs: 6 });
        at += 2;
      }
      presses.push({ key: ch, at, shift: /[A-F]/.test(ch) });
      at += READER_GAP;
    }
    presses.push(
      { key: 'Shift', code: 'ShiftLeft', at, holdMs: 6 },
      { key: '?', code: 'Slash', at: at + 2, shift: true },
    );
    h.run(presses);
    expect(h.bursts).toEqual(['04A1B2C3']);
    expect(h.page).toEqual([]);
    // Typed by a person, the same prefix does not swallow anything.
    h.run(typeText(';12345678?', 5000, 90));
    expect(h.bursts).toHaveLength(1);
    expect(h.page.join('')).toBe(';12345678?');
  });

  it('lets shortcuts and auto-repeat through, releasing anything held first', () => {
    const h = new WedgeHarness({ pattern: digitsPattern(), terminator: 'Enter', maxInterKeyMs: 35 });
    h.run([
      { key: '4', at: 100 },
      { key: 'c', at: 110, control: true },
    ]);
    expect(h.page).toEqual(['4', 'c']);
    const d = h.detector.handle({ type: 'keyDown', key: '7', code: 'Digit7', isAutoRepeat: true });
    expect(d).toEqual({ prevent: false, replay: [] });
  });

  it('recognises echoes of numpad keys, which come back with main-keyboard codes (Numpad1 -> Digit1)', () => {
    const h = new WedgeHarness({ pattern: digitsPattern(), terminator: 'Enter', maxInterKeyMs: 35 });
    const numpad = (ch: string, at: number) => ({
      key: ch === '\n' ? 'Enter' : ch,
      code: ch === '\n' ? 'NumpadEnter' : `Numpad${ch}`,
      at,
    });
    // Slowly, as a person: every digit is held as a possible burst, released by the gap timer and replayed.
    h.run([...'120\n'].map((ch, i) => numpad(ch, 100 + i * 150)));
    expect(h.page.join('')).toBe('120Enter');
    expect(h.echoesPrevented).toBe(0);
    // Fast enough to be held together, then broken by a letter: released in order, each echo recognised.
    h.run([...[...'4711'].map((ch, i) => numpad(ch, 2000 + i * 10)), { key: 'x', at: 2040 }]);
    expect(h.page.join('')).toBe('120Enter4711x');
    expect(h.echoesPrevented).toBe(0);
    // A real reader burst typed on the keypad is still swallowed.
    h.run([...'00123456\n'].map((ch, i) => ({ ...numpad(ch, 4000 + i * READER_GAP), holdMs: 4 })));
    expect(h.bursts).toEqual(['00123456']);
    expect(h.page.join('')).toBe('120Enter4711x');
  });

  it('recognises the echo of a right Shift held with released keys (it comes back as ShiftLeft)', () => {
    const h = new WedgeHarness({
      pattern: { prefix: '', suffix: '', bodyChars: new Set('0123456789ABCDEF'), minBodyLength: 6, maxBodyLength: 12 },
      terminator: 'Enter',
      maxInterKeyMs: 35,
    });
    h.run([
      { key: '0', at: 100 },
      { key: 'Shift', code: 'ShiftRight', at: 108, holdMs: 6 },
      { key: 'A', at: 110, shift: true },
      { key: '1', at: 118 },
      { key: 'x', at: 126 },
    ]);
    expect(h.page).toEqual(['0', 'Shift', 'A', '1', 'x']);
    expect(h.echoesPrevented).toBe(0);
  });

  it('does not block on an echo that never comes back, and forgets it', () => {
    const h = new WedgeHarness({ pattern: digitsPattern(), terminator: 'Enter', maxInterKeyMs: 35 });
    h.dropEchoes.add(0); // the first replayed key's echo is lost
    h.run(typeText('12a', 100, 10));
    expect(h.page).toEqual(['1', '2', 'a']);
    expect(h.echoesPrevented).toBe(0);
    // Long after, the lost echo is no longer awaited: a '1' typed now is held as usual, not taken for it.
    h.run(typeText('19b', 2000, 10));
    expect(h.page.join('')).toBe('12a19b');
    expect(h.maxDelayMs).toBeLessThanOrEqual(35 + 1 + 20);
  });

  it('prevents the key-up of swallowed keys but passes key-ups of keys that reached the page', () => {
    const h = new WedgeHarness({ pattern: digitsPattern(), terminator: 'Enter', maxInterKeyMs: 35 });
    const d1 = h.detector.handle({ type: 'keyDown', key: 'x', code: 'KeyX' });
    const u1 = h.detector.handle({ type: 'keyUp', key: 'x', code: 'KeyX' });
    expect([d1.prevent, u1.prevent]).toEqual([false, false]);
    const d2 = h.detector.handle({ type: 'keyDown', key: '9', code: 'Digit9' });
    const u2 = h.detector.handle({ type: 'keyUp', key: '9', code: 'Digit9' });
    expect([d2.prevent, u2.prevent]).toEqual([true, true]);
  });
});
