import { describe, expect, it } from 'vitest';
import type { BadgeReaderEvent } from '../../../native/badge-reader.js';
import { KeyboardWedgeReader } from '../../../native/wedge/keyboard-wedge-reader.js';
import { wedgeCaptureSchema } from '../../../native/wedge/wedge-capture-config.js';
import { captureWedgeInput } from '../../../native/wedge/wedge-input-capture.js';
import { FakeClock } from '../support/fake-clock.js';
import { FakeWebContents, keyEvents, typeText, type Press } from './wedge-harness.js';

/**
 * The shell captures every webContents (main window, each EHR view, the sign-in window) with the same
 * wedge readers. Keys held back in one must come back in that one only.
 */
function setup() {
  const clock = new FakeClock();
  const capture = wedgeCaptureSchema.parse({ id: { kind: 'wiegand-fields', format: 'H10301', delimiter: ':' } });
  const reader = new KeyboardWedgeReader({ id: 'wedge', description: 'Wedge', capture, clock });
  const events: BadgeReaderEvent[] = [];
  reader.onEvent((e) => events.push(e));
  void reader.start();
  const contents = { signIn: new FakeWebContents(), ehr: new FakeWebContents(), hiddenEhr: new FakeWebContents() };
  const release = Object.fromEntries(
    Object.entries(contents).map(([name, c]) => [name, captureWedgeInput(c, [reader], clock)]),
  );
  const type = (target: FakeWebContents, presses: Press[]) => {
    for (const e of keyEvents(presses)) {
      clock.advanceSync(Math.max(0, e.at - clock.monotonicMs()));
      target.type(e.input);
    }
    clock.advanceSync(1000);
  };
  return { clock, reader, events, contents, release, type };
}

describe('wedge capture across webContents', () => {
  it('replays keys held in one webContents into that one only, without runaway echoes', () => {
    const { clock, contents, type } = setup();
    // A person types slowly: every digit is held as a possible burst, then released by the gap timer.
    type(contents.ehr, typeText('120', clock.monotonicMs() + 100, 150));
    expect(contents.ehr.page.join('')).toBe('120');
    expect(contents.signIn.page).toEqual([]);
    expect(contents.hiddenEhr.page).toEqual([]);
    expect(contents.ehr.replayed).toBe(3);
    expect(contents.ehr.echoesPrevented).toBe(0);
  });

  it('keeps a password typed in the sign-in window out of every EHR view', () => {
    const { clock, contents, type } = setup();
    type(contents.signIn, typeText('2468:13x\n', clock.monotonicMs() + 100, 20));
    expect(contents.signIn.page.join('')).toBe('2468:13xEnter');
    expect(contents.ehr.page).toEqual([]);
    expect(contents.hiddenEhr.page).toEqual([]);
  });

  it('keeps state per webContents: keys typed into two at once do not merge into one burst', () => {
    const { clock, events, contents } = setup();
    // Interleaved, each fast: neither webContents alone saw a complete burst.
    for (const [i, ch] of [...'12:345'].entries()) {
      clock.advanceSync(5);
      (i % 2 === 0 ? contents.ehr : contents.signIn).type({
        type: 'keyDown',
        key: ch,
        code: ch === ':' ? 'Semicolon' : `Digit${ch}`,
      });
    }
    contents.ehr.type({ type: 'keyDown', key: 'Enter', code: 'Enter' });
    clock.advanceSync(1000);
    expect(events.filter((e) => e.kind === 'tap')).toEqual([]);
    expect(contents.ehr.page.join('')).toBe('1:4Enter');
    expect(contents.signIn.page.join('')).toBe('235');
  });

  it('still swallows a badge burst in whichever webContents has focus', () => {
    const { clock, events, contents, type } = setup();
    type(contents.hiddenEhr, typeText('12:3456\n', clock.monotonicMs() + 100, 8));
    expect(events.at(-1)).toEqual({ kind: 'tap', readerId: 'wedge', badgeId: 'H10301:12:3456', format: 'H10301' });
    expect([contents.signIn.page, contents.ehr.page, contents.hiddenEhr.page]).toEqual([[], [], []]);
  });

  it('releases a destroyed webContents: listeners removed, its held keys dropped, nothing sent to it', async () => {
    const { clock, reader, contents, release } = setup();
    contents.ehr.type({ type: 'keyDown', key: '4', code: 'Digit4' });
    expect(contents.ehr.listenerCount).toBe(2);
    contents.ehr.destroy();
    expect(contents.ehr.listenerCount).toBe(0);
    expect(clock.pendingTimers).toBe(0);
    clock.advanceSync(1000);
    await reader.stop(); // would throw in the fake if it replayed into the destroyed webContents
    expect(contents.ehr.page).toEqual([]);
    release.ehr!(); // the shell's shutdown may release it again
    release.signIn!();
    expect(contents.signIn.listenerCount).toBe(0);
  });
});
