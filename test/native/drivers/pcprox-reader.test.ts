import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BadgeReaderEvent } from '../../../native/badge-reader.js';
import { PcProxReader } from '../../../native/drivers/pcprox-reader.js';
import { decodePcProxCard, pcproxCommand, pcproxPayload } from '../../../native/drivers/pcprox-protocol.js';
import { ReaderMissingError } from '../../../native/reader-missing-error.js';
import { parseReaderConfig } from '../../../native/manager/reader-config.js';
import { ReaderManager } from '../../../native/manager/reader-manager.js';
import { FakeClock, settle } from '../support/fake-clock.js';
import { bytes, FakeHidBackend, FakeHidDevice, FakePcProx } from '../../../bench/support/fake-hid.js';

interface Fixture {
  configPage0NoStrip: string;
  configPage0StripsParity: string;
  cards: { name: string; buffer0: string; buffer1: string; expect: string }[];
  badReads: { name: string; buffer0: string; buffer1: string; reason: string }[];
}
const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/readers/pcprox.json', import.meta.url), 'utf8'),
) as Fixture;
const PATH = '/dev/hidraw3';
/** One poll: the interval, plus the 1 ms pause after each of its two commands. */
const POLL_MS = 205;

function setup(page0 = fixture.configPage0NoStrip) {
  const clock = new FakeClock();
  const emulator = new FakePcProx(page0);
  const backend = new FakeHidBackend();
  backend.plug(
    PATH,
    { vendorId: 0x0c27, productId: 0x3bfa, product: 'pcProx' },
    () => new FakeHidDevice(emulator.answer),
  );
  const reader = new PcProxReader({
    id: 'desk',
    description: 'Front desk reader',
    match: { vendorId: 0x0c27, productId: 0x3bfa },
    backend,
    clock,
    pollIntervalMs: 200,
  });
  const events: BadgeReaderEvent[] = [];
  reader.onEvent((e) => events.push(e));
  /** start() waits on the clock between a command and its answer; a refusal is awaited, never left unhandled. */
  const start = async () => {
    await Promise.all([reader.start(), clock.advance(5)]);
  };
  return { clock, emulator, backend, reader, events, start };
}

describe('pcProx protocol', () => {
  it('frames commands as report id 0 + 8 bytes and strips the report id from answers', () => {
    expect([...pcproxCommand(0x8f)]).toEqual([0, 0x8f, 0, 0, 0, 0, 0, 0, 0]);
    expect([...pcproxPayload(bytes('00 01 02 03 04 05 06 07 08'))!]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...pcproxPayload(bytes('01 02 03 04 05 06 07 08'))!]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(pcproxPayload(bytes('00 01 02'))).toBeUndefined();
  });

  it.each(fixture.cards)('decodes fixture: $name', ({ buffer0, buffer1, expect: id }) => {
    const result = decodePcProxCard(pcproxPayload(bytes(buffer0))!, pcproxPayload(bytes(buffer1))!);
    expect(result.ok).toBe(true);
    if (result.ok) expect(`${result.card.format}:${result.card.facility}:${result.card.number}`).toBe(id);
  });

  it('reads only the bytes the card length covers, whatever the reader leaves in the others', () => {
    const card = fixture.cards[0]!; // 26 bits: bytes 0-3
    const buffer0 = pcproxPayload(bytes(card.buffer0))!;
    const junk = Buffer.from(buffer0);
    junk.fill(0xa5, 4);
    const result = decodePcProxCard(junk, pcproxPayload(bytes(card.buffer1))!);
    expect(result.ok && `${result.card.format}:${result.card.facility}:${result.card.number}`).toBe(card.expect);
  });

  it.each(fixture.badReads)('rejects fixture: $name', ({ buffer0, buffer1, reason }) => {
    const result = decodePcProxCard(pcproxPayload(bytes(buffer0))!, pcproxPayload(bytes(buffer1))!);
    expect(result).toEqual({ ok: false, reason: expect.stringContaining(reason) });
  });
});

describe('PcProxReader over a fake node-hid device', () => {
  it('sends the byte-exact command sequence and emits one tap per card presence, then removal', async () => {
    const { clock, emulator, backend, reader, events, start } = setup();
    await start();
    expect(events).toEqual([{ kind: 'attached', readerId: 'desk', description: 'Front desk reader (USB 0c27:3bfa)' }]);
    const device = backend.lastDevice!;
    expect(device.sent.map((r) => r.toString('hex'))).toEqual(['008000000000000000']);

    await clock.advance(POLL_MS);
    expect(events).toHaveLength(1); // empty buffer: nothing
    const card = fixture.cards[0]!;
    emulator.card = card;
    await clock.advance(POLL_MS);
    expect(events.at(-1)).toEqual({ kind: 'tap', readerId: 'desk', badgeId: card.expect, format: 'H10301' });
    expect(device.sent.slice(-2).map((r) => r.toString('hex'))).toEqual(['008f00000000000000', '008e00000000000000']);

    await clock.advance(2000); // card held: re-read ten times, still one tap
    expect(events.filter((e) => e.kind === 'tap')).toHaveLength(1);

    emulator.card = undefined;
    await clock.advance(POLL_MS);
    expect(events.at(-1)).toEqual({ kind: 'removed', readerId: 'desk', badgeId: card.expect });
    emulator.card = fixture.cards[2]!;
    await clock.advance(POLL_MS);
    expect(events.at(-1)).toMatchObject({ kind: 'tap', badgeId: 'C1000-35:1234:567890', format: 'C1000-35' });
    await reader.stop();
    expect(events.at(-1)).toEqual({ kind: 'detached', readerId: 'desk' });
    expect(device.closed).toBe(true);
  });

  it('turns a bad-parity read into one error event and never a tap', async () => {
    const { clock, emulator, events, start } = setup();
    await start();
    emulator.card = fixture.badReads[0]!;
    await clock.advance(1000);
    const errors = events.filter((e) => e.kind === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ message: expect.stringMatching(/parity/) });
    expect(JSON.stringify(errors)).not.toMatch(/3456/);
    expect(events.some((e) => e.kind === 'tap')).toBe(false);
    // A refused card leaving is no removal: it never tapped.
    emulator.card = undefined;
    await clock.advance(1000);
    expect(events.some((e) => e.kind === 'removed')).toBe(false);
  });

  it('refuses a reader that strips parity bits, telling IT which settings to change', async () => {
    const { backend, start } = setup(fixture.configPage0StripsParity);
    await expect(start()).rejects.toThrow(/iLeadParityBitCnt and iTrailParityBitCnt to 0/);
    expect(backend.lastDevice!.closed).toBe(true);
  });

  it('reports a missing device as ReaderMissingError and an unplug as detached', async () => {
    const { clock, backend, reader, events, start } = setup();
    backend.unplug(PATH);
    await expect(reader.start()).rejects.toBeInstanceOf(ReaderMissingError);
    backend.plug(
      PATH,
      { vendorId: 0x0c27, productId: 0x3bfa },
      () => new FakeHidDevice(new FakePcProx(fixture.configPage0NoStrip).answer),
    );
    await start();
    backend.unplug(PATH);
    await clock.advance(400);
    expect(events.map((e) => e.kind)).toEqual(['attached', 'detached']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('waits a moment between writing a command and reading its answer, as pcprox.py does', async () => {
    const { clock, backend, reader } = setup();
    const started = reader.start();
    await settle();
    const device = backend.lastDevice!;
    expect([device.sent.length, device.gets]).toEqual([1, 0]);
    await clock.advance(1);
    await started;
    expect([device.sent.length, device.gets]).toEqual([1, 1]);
  });

  it('closes a reader that stops answering, with an error IT can act on, and the manager reopens it', async () => {
    const clock = new FakeClock();
    const emulator = new FakePcProx(fixture.configPage0NoStrip);
    const backend = new FakeHidBackend();
    backend.plug(PATH, { vendorId: 0x0c27, productId: 0x3bfa }, () => new FakeHidDevice(emulator.answer));
    const config = parseReaderConfig({ readers: [{ driver: 'pcprox', id: 'desk', description: 'Front desk reader' }] });
    const manager = new ReaderManager({ config, clock, hidBackend: backend });
    const events: BadgeReaderEvent[] = [];
    manager.onEvent((e) => events.push(e));
    const started = manager.start();
    await clock.advance(5);
    await started;
    const hung = backend.lastDevice!;
    hung.hung = true;
    await clock.advance(POLL_MS + 1000);
    expect(events.at(-1)).toEqual({
      kind: 'error',
      readerId: 'desk',
      message: expect.stringMatching(/stopped answering .* within 1 s.*re-plug the reader/),
      scope: 'reader',
    });
    expect(hung.closed).toBe(true);
    expect(manager.status().readers[0]).toMatchObject({
      state: 'error',
      message: expect.stringMatching(/stopped answering/),
    });
    await clock.advance(500 + 5); // reopen.initialMs
    expect(backend.opens).toBe(2);
    expect(manager.status().readers[0]!.state).toBe('ready');
    await manager.stop();
  });
});
