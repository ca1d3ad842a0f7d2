import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BadgeReaderEvent } from '../../../native/badge-reader.js';
import { GenericHidReader } from '../../../native/drivers/generic-hid-reader.js';
import { decodeHidReport, hidReportLayoutSchema } from '../../../native/drivers/hid-report-layout.js';
import { bytes, FakeHidBackend, FakeHidDevice } from '../../../bench/support/fake-hid.js';

interface Case {
  name: string;
  layout: unknown;
  report: string;
}
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/readers/hid-data.json', import.meta.url), 'utf8')) as {
  cases: (Case & { expect: string })[];
  badReads: (Case & { reason: string })[];
};

describe('HID data-mode report layouts', () => {
  it.each(fixture.cases)('decodes fixture: $name', ({ layout, report, expect: id }) => {
    const decoded = decodeHidReport(hidReportLayoutSchema.parse(layout), bytes(report));
    expect(decoded).toMatchObject({ kind: 'card', badge: { badgeId: id } });
  });

  it.each(fixture.badReads)('rejects fixture: $name', ({ layout, report, reason }) => {
    const decoded = decodeHidReport(hidReportLayoutSchema.parse(layout), bytes(report));
    expect(decoded).toEqual({ kind: 'bad', reason: expect.stringContaining(reason) });
  });

  it('ignores other report ids and short reports, and sees an all-zero field as empty', () => {
    const layout = hidReportLayoutSchema.parse(fixture.cases[0]!.layout);
    expect(decodeHidReport(layout, bytes('05 1a 00 00 00 01 00 00'))).toEqual({ kind: 'ignored' });
    expect(decodeHidReport(layout, bytes('01 1a 00'))).toEqual({ kind: 'ignored' });
    expect(decodeHidReport(layout, bytes('01 1a 00 00 00 00 00 00'))).toEqual({ kind: 'empty' });
  });

  it('rejects inconsistent layouts with the key that is wrong', () => {
    const both = hidReportLayoutSchema.safeParse({
      offset: 0,
      length: 4,
      content: { kind: 'wiegand', bitLength: 26, bitLengthOffset: 1 },
    });
    expect(both.success).toBe(false);
    expect(JSON.stringify(both.error?.issues)).toMatch(/exactly one of bitLength or bitLengthOffset/);
    const tooLong = hidReportLayoutSchema.safeParse({
      offset: 0,
      length: 8,
      content: { kind: 'wiegand', bitLength: 37 },
    });
    expect(tooLong.success).toBe(false);
  });
});

describe('GenericHidReader', () => {
  it('emits taps from input reports, one per presence, and removal when the field empties', async () => {
    const backend = new FakeHidBackend();
    backend.plug('/dev/hidraw5', { vendorId: 0x1234, productId: 0x5678 }, () => new FakeHidDevice());
    const layout = hidReportLayoutSchema.parse({ ...(fixture.cases[0]!.layout as object), emptyMeansRemoved: true });
    const reader = new GenericHidReader({
      id: 'cart',
      description: 'Cart reader',
      match: { vendorId: 0x1234, productId: 0x5678 },
      layout,
      backend,
    });
    const events: BadgeReaderEvent[] = [];
    reader.onEvent((e) => events.push(e));
    await reader.start();
    const device = backend.lastDevice!;
    const report = bytes(fixture.cases[0]!.report);
    for (let i = 0; i < 20; i++) device.input(report); // held card, repeated reports
    device.input(bytes('01 1a 00 00 00 00 00 00'));
    device.input(bytes(fixture.badReads[0]!.report));
    device.unplug();
    await new Promise((r) => setImmediate(r));
    expect(events).toEqual([
      { kind: 'attached', readerId: 'cart', description: 'Cart reader (USB 1234:5678)' },
      { kind: 'tap', readerId: 'cart', badgeId: 'H10301:12:3456', format: 'H10301' },
      { kind: 'removed', readerId: 'cart', badgeId: 'H10301:12:3456' },
      { kind: 'error', readerId: 'cart', message: expect.stringMatching(/parity/), scope: 'read' },
      { kind: 'detached', readerId: 'cart' },
    ]);
  });
});
