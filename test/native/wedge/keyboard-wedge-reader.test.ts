import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BadgeReaderEvent } from '../../../native/badge-reader.js';
import { BootKeyboardDecoder } from '../../../native/wedge/boot-keyboard-decoder.js';
import { HidrawWedgeReader } from '../../../native/wedge/hidraw-wedge-reader.js';
import { KeyboardWedgeReader } from '../../../native/wedge/keyboard-wedge-reader.js';
import { wedgeCaptureSchema } from '../../../native/wedge/wedge-capture-config.js';
import { wedgeBodyToBadge, wedgeIdSchema } from '../../../native/wedge/wedge-id.js';
import { encodeWiegand } from '../../../native/formats/wiegand.js';
import { FakeClock } from '../support/fake-clock.js';
import { bytes, FakeHidBackend, FakeHidDevice } from '../../../bench/support/fake-hid.js';
import { captureWedgeInput } from '../../../native/wedge/wedge-input-capture.js';
import { codeFor, FakeWebContents } from './wedge-harness.js';

const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/readers/boot-keyboard.json', import.meta.url), 'utf8'),
) as {
  capture: unknown;
  reports: string[];
  expect: string;
};

describe('wedge id mapping: one badge, one canonical id whatever the reader types', () => {
  const cases: [unknown, string, string][] = [
    [{ kind: 'wiegand-fields', format: 'H10301', delimiter: ':' }, '012:03456', 'H10301:12:3456'],
    [{ kind: 'wiegand-fields', format: 'H10301', facilityDigits: 3 }, '01203456', 'H10301:12:3456'],
    [{ kind: 'wiegand-fields', format: 'H10301', fixedFacility: 12 }, '3456', 'H10301:12:3456'],
    [
      { kind: 'wiegand-hex', bitLength: 26 },
      encodeWiegand({ format: 'H10301', facility: 12, number: 3456 }).toString(16),
      'H10301:12:3456',
    ],
    [{ kind: 'uid-hex' }, '04A1B2C3D4E5F6', 'uid:04a1b2c3d4e5f6'],
    [{ kind: 'uid-hex', reverseBytes: true }, 'F6E5D4C3B2A104', 'uid:04a1b2c3d4e5f6'],
    [{ kind: 'uid-decimal', bytes: 4 }, String(0xdeadbeef), 'uid:deadbeef'],
  ];
  it.each(cases)('%j maps %s', (config, body, id) => {
    expect(wedgeBodyToBadge(wedgeIdSchema.parse(config), body)).toMatchObject({ ok: true, badge: { badgeId: id } });
  });

  it('rejects typed values that cannot be the configured card, without echoing the number', () => {
    const hex = wedgeIdSchema.parse({ kind: 'wiegand-hex', bitLength: 26 });
    const bad = wedgeBodyToBadge(
      hex,
      (encodeWiegand({ format: 'H10301', facility: 12, number: 3456 }) ^ 1).toString(16),
    );
    expect(bad).toEqual({ ok: false, reason: expect.stringMatching(/parity/) });
    const fields = wedgeIdSchema.parse({ kind: 'wiegand-fields', format: 'H10301', delimiter: ':' });
    const tooBig = wedgeBodyToBadge(fields, '300:99999');
    expect(tooBig.ok).toBe(false);
    if (!tooBig.ok) expect(tooBig.reason).not.toMatch(/99999|300/);
  });
});

describe('KeyboardWedgeReader', () => {
  it('turns a swallowed burst into a tap and replays released keys into the webContents they came from', () => {
    const clock = new FakeClock();
    const capture = wedgeCaptureSchema.parse({
      digitsOnly: 'badge',
      id: { kind: 'wiegand-fields', format: 'H10301', fixedFacility: 12 },
    });
    const reader = new KeyboardWedgeReader({ id: 'wedge', description: 'Wedge', capture, clock });
    const events: BadgeReaderEvent[] = [];
    reader.onEvent((e) => events.push(e));
    const contents = new FakeWebContents();
    captureWedgeInput(contents, [reader], clock);
    contents.type({ type: 'keyDown', key: '1', code: 'Digit1' });
    expect(contents.page).toEqual(['1']); // not started: nothing is held
    void reader.start();
    for (const key of ['0', '0', '3', '4', '5', '6', 'Enter']) {
      contents.type({ type: 'keyDown', key, code: codeFor(key) });
      clock.advanceSync(8);
    }
    expect(contents.page).toEqual(['1']);
    expect(events.at(-1)).toEqual({ kind: 'tap', readerId: 'wedge', badgeId: 'H10301:12:3456', format: 'H10301' });
    contents.type({ type: 'keyDown', key: '7', code: 'Digit7' });
    expect(contents.page).toEqual(['1']);
    clock.advanceSync(100);
    expect(contents.page).toEqual(['1', '7']);
  });

  it('on stop, gives keys held as a possible burst back to their own webContents', async () => {
    const clock = new FakeClock();
    const capture = wedgeCaptureSchema.parse({ id: { kind: 'uid-hex' } });
    const reader = new KeyboardWedgeReader({ id: 'wedge', description: 'Wedge', capture, clock });
    const [a, b] = [new FakeWebContents(), new FakeWebContents()];
    captureWedgeInput(a, [reader], clock);
    captureWedgeInput(b, [reader], clock);
    await reader.start();
    a.type({ type: 'keyDown', key: '4', code: 'Digit4' });
    b.type({ type: 'keyDown', key: 'f', code: 'KeyF' });
    await reader.stop();
    expect([a.page, b.page]).toEqual([['4'], ['f']]);
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('boot keyboard reports (Linux hidraw)', () => {
  it('decodes the fixture into key events with Shift applied', () => {
    const decoder = new BootKeyboardDecoder();
    const downs = fixture.reports.flatMap((r) => decoder.decode(bytes(r))).filter((e) => e.type === 'keyDown');
    expect(downs.map((e) => e.key).join('')).toBe('12:3456Enter');
    expect(decoder.decode(bytes('00 00 01 01 01 01 01 01'))).toEqual([]);
    expect(decoder.decode(bytes('00 00 1e'))).toEqual([]);
  });

  it('HidrawWedgeReader emits the tap for a burst read from the reader itself', async () => {
    const clock = new FakeClock();
    const backend = new FakeHidBackend();
    backend.plug('/dev/hidraw9', { vendorId: 0x0c27, productId: 0x3bfa }, () => new FakeHidDevice());
    const reader = new HidrawWedgeReader({
      id: 'kbd',
      description: 'Wedge',
      match: { vendorId: 0x0c27, productId: 0x3bfa },
      capture: wedgeCaptureSchema.parse(fixture.capture),
      reportId: null,
      backend,
      clock,
    });
    const events: BadgeReaderEvent[] = [];
    reader.onEvent((e) => events.push(e));
    await reader.start();
    for (const report of fixture.reports) {
      backend.lastDevice!.input(bytes(report));
      clock.advanceSync(4);
    }
    expect(events.map((e) => (e.kind === 'tap' ? e.badgeId : e.kind))).toEqual(['attached', fixture.expect]);
  });

  it('HidrawWedgeReader takes a digits-only burst for a badge: no scanner types into its device node', async () => {
    const clock = new FakeClock();
    const backend = new FakeHidBackend();
    backend.plug('/dev/hidraw9', { vendorId: 0x0c27, productId: 0x3bfa }, () => new FakeHidDevice());
    const reader = new HidrawWedgeReader({
      id: 'kbd',
      description: 'Wedge',
      match: { vendorId: 0x0c27, productId: 0x3bfa },
      capture: wedgeCaptureSchema.parse({ id: { kind: 'wiegand-fields', format: 'H10301', fixedFacility: 12 } }),
      reportId: null,
      backend,
      clock,
    });
    const events: BadgeReaderEvent[] = [];
    reader.onEvent((e) => events.push(e));
    await reader.start();
    // 3, 4, 5, 6 and Enter, each pressed and released.
    for (const usage of ['20', '21', '22', '23', '28']) {
      backend.lastDevice!.input(bytes(`00 00 ${usage} 00 00 00 00 00`));
      backend.lastDevice!.input(bytes('00 00 00 00 00 00 00 00'));
      clock.advanceSync(4);
    }
    expect(events.at(-1)).toEqual({ kind: 'tap', readerId: 'kbd', badgeId: 'H10301:12:3456', format: 'H10301' });
  });
});
