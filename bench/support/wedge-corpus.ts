import { readFileSync } from 'node:fs';
import { ManualClock } from '../../common/manual-clock.js';
import { KeyboardWedgeReader } from '../../native/wedge/keyboard-wedge-reader.js';
import { keyboardWedgeCaptureSchema } from '../../native/wedge/wedge-capture-config.js';
import { wedgeBodyToBadge } from '../../native/wedge/wedge-id.js';

/** One burst of the corpus (test/fixtures/readers/wedge-bursts.json). */
export interface CorpusBurst {
  source: 'badge' | 'barcode' | 'human';
  shape: string;
  text: string;
  /** gapsMs[i]: the time before key i + 1; the last one is the time before Enter. */
  gapsMs: number[];
}

export function loadWedgeCorpus(): CorpusBurst[] {
  const url = new URL('../../test/fixtures/readers/wedge-bursts.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { bursts: CorpusBurst[] }).bursts;
}

export interface CorpusOutcome {
  bursts: number;
  /** Barcode scans not delivered whole to the page. */
  barcodeSwallowed: number;
  /** Barcode scans that became some badge's tap. */
  barcodeFalseTaps: number;
  /** Badge bursts that did not become the tap of their own badge. */
  badgeBurstsMissed: number;
  /** Typed words and numbers not delivered whole to the page. */
  humanSwallowed: number;
  /** Taps from anything a person typed. */
  humanFalseTaps: number;
}

const codeOf = (key: string) =>
  /^[0-9]$/.test(key) ? `Digit${key}` : key === ' ' ? 'Space' : `Key${key.toUpperCase()}`;

/**
 * Types every burst, as it arrived, into one page guarded by a keyboard-wedge reader with this capture policy
 * (badge bursts get the policy's prefix and suffix, as a reader set up that way types them), and counts what
 * reached the page and which taps came out.
 */
export function runWedgeCorpus(policy: Record<string, unknown>, bursts: CorpusBurst[]): CorpusOutcome {
  const clock = new ManualClock();
  const capture = keyboardWedgeCaptureSchema.parse(policy);
  const reader = new KeyboardWedgeReader({ id: 'w', description: 'w', capture, clock });
  const taps: string[] = [];
  reader.onEvent((e) => {
    if (e.kind === 'tap') taps.push(e.badgeId);
  });
  void reader.start();
  let page = '';
  const show = (keys: { key: string }[]) => {
    for (const k of keys) page += k.key === 'Enter' ? '\n' : k.key;
  };
  const filter = reader.openFilter({ pending: () => false }, show);
  const outcome: CorpusOutcome = {
    bursts: bursts.length,
    barcodeSwallowed: 0,
    barcodeFalseTaps: 0,
    badgeBurstsMissed: 0,
    humanSwallowed: 0,
    humanFalseTaps: 0,
  };
  for (const burst of bursts) {
    const framed = burst.source === 'badge' ? `${capture.prefix}${burst.text}${capture.suffix}` : burst.text;
    const gaps =
      burst.source === 'badge'
        ? [...framed.slice(1)].map((_, i) => burst.gapsMs[i % burst.gapsMs.length]!)
        : burst.gapsMs;
    page = '';
    taps.length = 0;
    [...framed, 'Enter'].forEach((key, i) => {
      const input = { key, code: key === 'Enter' ? 'Enter' : codeOf(key), shift: /[A-Z]/.test(key) };
      const down = filter.handle({ type: 'keyDown', ...input });
      if (!down.prevent) show([input]);
      show(down.replay);
      filter.handle({ type: 'keyUp', ...input });
      clock.advance(i < gaps.length ? gaps[i]! : 0);
    });
    clock.advance(1_000); // past any gap timer: held keys are released, the next burst starts afresh
    const whole = page === `${framed}\n`;
    if (burst.source === 'badge') {
      const expected = wedgeBodyToBadge(capture.id, burst.text);
      if (!expected.ok || taps.length !== 1 || taps[0] !== expected.badge.badgeId) outcome.badgeBurstsMissed++;
    } else if (burst.source === 'barcode') {
      if (!whole) outcome.barcodeSwallowed++;
      if (taps.length > 0) outcome.barcodeFalseTaps++;
    } else {
      if (!whole) outcome.humanSwallowed++;
      if (taps.length > 0) outcome.humanFalseTaps++;
    }
  }
  return outcome;
}
